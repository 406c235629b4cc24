/**
 * Starts a worker thread from a `*.worker.ts` module. From source (tests, tsx) the TypeScript file
 * is loaded through tsx; from the bundle (dist/) the sibling `*.worker.js` built by esbuild is used.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, type WorkerOptions } from 'node:worker_threads';

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

/** What a streaming worker sends when it is finished, or when it failed. */
export type WorkerEnd = { kind: 'done' } | { kind: 'error'; message: string; code?: string };

/**
 * The messages several streaming workers send, in the order they arrive, each with its sender (to
 * acknowledge it: see `acknowledgedSends`), until every worker said done. A worker's error
 * message or 'error' event is thrown; the workers are terminated however the reading ends — but
 * with `keep`, workers that all said done are left running for more work (its listeners removed).
 */
export async function* workerMessages<M extends { kind: string }>(workers: Worker[], options: { keep?: boolean } = {}): AsyncGenerator<{ message: Exclude<M, WorkerEnd>; from: Worker }> {
  const queue: { message: M | WorkerEnd; from: Worker }[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const listeners = workers.map((worker) => {
    const onMessage = (message: M | WorkerEnd) => {
      queue.push({ message, from: worker });
      wake?.();
    };
    const onError = (error: Error) => {
      failure ??= error;
      wake?.();
    };
    worker.on('message', onMessage).on('error', onError);
    return { worker, onMessage, onError };
  });
  let running = workers.length;
  try {
    while (running > 0) {
      while (queue.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) throw failure;
      const { message, from } = queue.shift()!;
      if (message.kind === 'done') running--;
      else if (message.kind === 'error') {
        const end = message as Extract<WorkerEnd, { kind: 'error' }>;
        throw Object.assign(new Error(end.message), { code: end.code });
      } else yield { message: message as Exclude<M, WorkerEnd>, from };
    }
  } finally {
    for (const { worker, onMessage, onError } of listeners) worker.off('message', onMessage).off('error', onError);
    if (!options.keep || running > 0) await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/**
 * In a streaming worker: call after each message sent to the parent; it returns once fewer than
 * `limit` of them wait for the parent's acknowledgement, the message 'ack' (so memory stays bounded).
 */
export function acknowledgedSends(limit: number): () => Promise<void> {
  let inFlight = 0;
  let resume: (() => void) | undefined;
  parentPort!.on('message', (message: unknown) => {
    if (message !== 'ack') return;
    inFlight--;
    resume?.();
  });
  return async () => {
    inFlight++;
    while (inFlight >= limit) await new Promise<void>((resolve) => (resume = resolve));
  };
}
