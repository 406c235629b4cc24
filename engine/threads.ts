/**
 * Starts a worker thread from a `*.worker.ts` module. From source (tests, tsx) the TypeScript file
 * is loaded through tsx; from the bundle (dist/) the sibling `*.worker.js` built by esbuild is used.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  const file = fileURLToPath(url);
  if (fs.existsSync(file)) {
    // Node 20 does not apply `--import tsx` to a worker's entry module, so the worker registers
    // tsx itself before importing the TypeScript file.
    const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`;
    return new Worker(bootstrap, { ...options, eval: true });
  }
  const bundled = new URL(url.href.replace(/\.ts$/, '.js'));
  return new Worker(bundled, options);
}
