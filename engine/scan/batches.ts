/**
 * The walk as batches of entries: on a worker thread (listing and lstat overlap with catalog
 * writes on the main thread), or in-process when test hooks must run between listing and lstat.
 */
import { startWorker } from '../threads.ts';
import { walk, type WalkHooks, type WalkedEntry, type WalkProblem } from './walk.ts';
import type { WalkMessage } from './walk.worker.ts';

export interface BatchOptions {
  root: string;
  boundary: string;
  hooks?: WalkHooks;
  /** Read xattr names during the walk (a first scan, where every entry is new). */
  xattrs: boolean;
  onVanished(problem: WalkProblem): void;
}

const BATCH = 2000;

export async function* walkInBatches(options: BatchOptions): AsyncGenerator<WalkedEntry[]> {
  if (options.hooks?.beforeStat) {
    let batch: WalkedEntry[] = [];
    for (const entry of walk(options.root, { boundary: options.boundary, hooks: options.hooks, onVanished: options.onVanished })) {
      batch.push(entry);
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
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
