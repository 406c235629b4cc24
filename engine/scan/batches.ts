/**
 * The walk as batches of entries, run where it pays:
 * - in-process for a rescan that must see every entry (`scan --full`) and when test hooks run
 *   between listing and lstat;
 * - on one worker thread for a first scan: the main thread inserts every row, so listing and lstat
 *   overlap with the inserts — on one per core when they also read every file (a first `--full`);
 * - split over several worker threads for a rescan: each walks its share of the tree and compares
 *   entries with their stored rows itself, so the main thread only hears of what changed.
 */
import os from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { startWorker, workerMessages } from '../threads.ts';
import { readXattrNames } from './inspect.ts';
import { unpackEntries } from './packed.ts';
import { contentReader } from './walk-content.ts';
import { walk, type WalkHooks, type WalkedEntry, type WalkProblem } from './walk.ts';
import type { UnchangedEntries, WalkerData, WalkMessage, WalkRequest, WalkWorkerData } from './walk.worker.ts';
import type { Worker } from 'node:worker_threads';
import type { StoredComparison } from './writer.ts';

export type WalkThreads =
  | { kind: 'inline' }
  | { kind: 'worker'; readContent: boolean }
  | { kind: 'comparing'; databasePath: string; sourceId: string; racyFromNs?: bigint };

export interface BatchOptions {
  root: string;
  boundary: string;
  hooks?: WalkHooks;
  threads: WalkThreads;
  /** Read xattr names during the walk (a first scan, where every entry is new). */
  xattrs: boolean;
  /** Called before a walker reads a file (tests remove files here); the walk then runs in-process. */
  beforeRead?(paths: Uint8Array[]): void;
  onVanished(problem: WalkProblem): void;
}

export interface WalkBatch {
  entries: WalkedEntry[];
  /** From comparing walkers: each entry's stored row (null: new), in the order of `entries`. */
  compared?: (StoredComparison | null)[];
  /** From comparing walkers: entries found unchanged. */
  unchanged?: UnchangedEntries;
}

const BATCH = 2000;
/**
 * Batches a walker may send ahead of the main thread. Measured: 8 let the walk go on while the main
 * thread writes a transaction (a first scan of the 100k-file bench tree 5 % faster) but raised the
 * peak of a million-file scan from ~350 MB to 363–382 MB, too close to its 400 MB budget.
 */
const BATCHES_IN_FLIGHT = 4;

/**
 * The walk threads of one scan, kept from source to source: a rescan of four sources started
 * eight threads, and each cost 0.15–0.4 s of CPU to start (measured on the 200k-file owner tree).
 */
export class Walkers {
  private readonly idle: Worker[] = [];

  /** `count` walker threads, started as needed; give them back with `release` once they all said done. */
  take(count: number): Worker[] {
    const taken = this.idle.splice(0, count);
    while (taken.length < count) {
      const worker = startWorker(new URL('./walk.worker.ts', import.meta.url), { workerData: { maxInFlight: BATCHES_IN_FLIGHT } satisfies WalkerData });
      worker.on('error', () => undefined); // reported through workerMessages while walking; a spare that fails is left out
      taken.push(worker);
    }
    return taken;
  }

  release(workers: Worker[]): void {
    this.idle.push(...workers);
  }

  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((worker) => worker.terminate()));
  }
}

export async function* walkInBatches(options: BatchOptions, walkers: Walkers): AsyncGenerator<WalkBatch> {
  const threads = options.threads;
  const readContent = threads.kind === 'worker' && threads.readContent;
  if (threads.kind === 'inline' || options.hooks?.beforeStat || (readContent && options.beforeRead)) {
    let batch: WalkedEntry[] = [];
    const readXattrs = options.xattrs ? readXattrNames : undefined;
    const reader = readContent ? contentReader(options.beforeRead) : undefined;
    for (const entry of walk(options.root, { boundary: options.boundary, hooks: options.hooks, readXattrs, readContent: reader, onVanished: options.onVanished })) {
      batch.push(entry);
      if (batch.length >= BATCH) {
        yield { entries: batch };
        batch = [];
        await yieldToEventLoop(); // timers (job heartbeats, progress) keep running during long walks
      }
    }
    if (batch.length > 0) yield { entries: batch };
    return;
  }
  const count = threads.kind === 'comparing' || readContent ? Math.max(1, Math.min(os.availableParallelism(), 4)) : 1;
  const base: WalkWorkerData = { root: options.root, boundary: options.boundary, batchSize: BATCH, xattrs: options.xattrs, readContent };
  const workers = walkers.take(count);
  // Listening before asking: a walk's first batch cannot be missed.
  const messages = workerMessages<WalkMessage>(workers, { keep: true });
  const started = messages.next();
  workers.forEach((worker, index) => {
    const walk: WalkWorkerData = {
      ...base,
      ...(count > 1 ? { share: { index, count } } : {}),
      ...(threads.kind === 'comparing' ? { compare: { databasePath: threads.databasePath, sourceId: threads.sourceId, racyFromNs: threads.racyFromNs } } : {}),
    };
    worker.postMessage({ kind: 'walk', walk } satisfies WalkRequest);
  });
  const rootPrefix = Buffer.from(`${options.root}/`);
  let finished = false;
  try {
    for (let next = await started; !next.done; next = await messages.next()) {
      const { message, from } = next.value;
      for (const problem of message.vanished) options.onVanished({ ...problem, relPath: asBuffer(problem.relPath) });
      yield { entries: unpackEntries(message.entries, rootPrefix), compared: message.compared, unchanged: message.unchanged };
      from.postMessage('ack' satisfies WalkRequest);
    }
    finished = true;
  } finally {
    // Stopped early (the scan failed): the walkers are terminated, mid-walk as they are.
    if (!finished) await messages.return(undefined);
  }
  // Every walker said done (a walker's error terminated them all instead, and was thrown above).
  walkers.release(workers);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
