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
    return new Worker(url, { ...options, execArgv: [...(options.execArgv ?? []), '--import', 'tsx'] });
  }
  const bundled = new URL(url.href.replace(/\.ts$/, '.js'));
  return new Worker(bundled, options);
}
