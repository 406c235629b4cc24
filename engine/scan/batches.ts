/**
 * The walk as batches of entries: on a worker thread when the main thread has real work per
 * entry (a first scan inserts every row, so listing and lstat overlap with the inserts), or
 * in-process — a rescan mostly compares, and handing entries across threads would cost more than
 * it saves; test hooks that run between listing and lstat also need the walk in-process.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { startWorker } from '../threads.ts';
import { readXattrNames } from './inspect.ts';
import { walk, type WalkHooks, type WalkedEntry, type WalkProblem } from './walk.ts';
import type { WalkMessage } from './walk.worker.ts';

export interface BatchOptions {
  root: string;
  boundary: string;
  hooks?: WalkHooks;
  /** Walk on a worker thread (a first scan). */
  onWorker: boolean;
  /** Read xattr names during the walk (a first scan, where every entry is new). */
  xattrs: boolean;
  onVanished(problem: WalkProblem): void;
}

const BATCH = 2000;

export async function* walkInBatches(options: BatchOptions): AsyncGenerator<WalkedEntry[]> {
  if (!options.onWorker || options.hooks?.beforeStat) {
    let batch: WalkedEntry[] = [];
    const readXattrs = options.xattrs ? readXattrNames : undefined;
    for (const entry of walk(options.root, { boundary: options.boundary, hooks: options.hooks, readXattrs, onVanished: options.onVanished })) {
      batch.push(entry);
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
        await yieldToEventLoop(); // timers (job heartbeats, progress) keep running during long walks
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  const worker = startWorker(new URL('./walk.worker.ts', import.meta.url), {
    workerData: { root: options.root, boundary: options.boundary, batchSize: BATCH, maxInFlight: 4, xattrs: options.xattrs },
  });
  const queue: WalkMessage[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  worker.on('message', (message: WalkMessage) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure = error;
    wake?.();
  });
  const rootPrefix = Buffer.from(`${options.root}/`);
  try {
    for (;;) {
      while (queue.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) throw failure;
      const message = queue.shift()!;
      if (message.kind === 'done') return;
      if (message.kind === 'error') throw Object.assign(new Error(message.message), { code: message.code });
      for (const problem of message.vanished) options.onVanished({ ...problem, relPath: asBuffer(problem.relPath) });
      // Buffers arrive as plain Uint8Arrays after crossing threads.
      for (const entry of message.entries) {
        entry.relPath = asBuffer(entry.relPath);
        entry.absPath = Buffer.concat([rootPrefix, entry.relPath]);
        if (entry.linkTarget) entry.linkTarget = asBuffer(entry.linkTarget);
      }
      yield message.entries;
      worker.postMessage('ack');
    }
  } finally {
    await worker.terminate();
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
