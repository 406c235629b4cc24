/**
 * Content hashing off the main thread: a small pool of hash workers fed with batches of tasks.
 * Public surface of engine/hash.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../threads.ts';
import { EDGE_BYTES, type HashResult, type HashTask } from './read.ts';

export {
  ContentHasher,
  FileHasher,
  EDGE_BYTES,
  EMPTY_XXH128,
  TAIL_MIN_SIZE,
  type HashKind,
  type DigestKind,
  type HashTask,
  type HashResult,
  type Xxh128Engine,
} from './read.ts';
export { quickXorHash, QuickXorHash } from './quickxor.ts';

export interface HashPoolOptions {
  /** Worker threads; default: one per core (reads from page cache are CPU-bound, measured on 2 cores). */
  workers?: number;
  /** Read buffer per worker. */
  bufferBytes?: number;
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

/**
 * Tasks travel to the workers in batches: one message per ~8 MiB of content or 256 files, so the
 * messaging costs little next to the reads.
 */
export class TaskBatch {
  private tasks: HashTask[] = [];
  private bytes = 0;

  /** Adds a task; true when the batch is full and should be sent. */
  add(task: HashTask): boolean {
    this.tasks.push(task);
    this.bytes += task.kind === 'head' || task.kind === 'tail' ? EDGE_BYTES : Number(task.size);
    return this.tasks.length >= 256 || this.bytes >= 8 * 1024 * 1024;
  }

  isEmpty(): boolean {
    return this.tasks.length === 0;
  }

  take(): HashTask[] {
    const tasks = this.tasks;
    this.tasks = [];
    this.bytes = 0;
    return tasks;
  }
}

/** Runs hash tasks on worker threads; each worker keeps two batches queued so it never waits for the main thread. */
export class HashPool {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, { resolve: (results: HashResult[]) => void; reject: (error: Error) => void }>();
  private nextBatch = 0;
  private waiters: (() => void)[] = [];
  private failure: Error | undefined;

  constructor(options: HashPoolOptions = {}) {
    const count = Math.max(1, options.workers ?? Math.min(os.availableParallelism(), 4));
    this.slots = Array.from({ length: count }, () => {
      // A small young generation: these threads allocate little but results, and their heaps
      // live beside the walk's during a scan (peak memory is a target at a million files).
      const worker = startWorker(new URL('./hash.worker.ts', import.meta.url), {
        workerData: { bufferBytes: options.bufferBytes ?? 1024 * 1024 },
        resourceLimits: { maxYoungGenerationSizeMb: 4 },
      });
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (message: { batch: number; results: HashResult[] }) => {
        slot.inFlight--;
        const entry = this.pending.get(message.batch);
        this.pending.delete(message.batch);
        entry?.resolve(message.results);
        this.wake();
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`hash worker exited with code ${code}`));
      });
      return slot;
    });
  }

  /** How many batches to keep in flight so that no worker waits: two per worker. */
  get parallelism(): number {
    return this.slots.length * 2;
  }

  /** Hashes every task, calling `onResults` per finished batch, with at most two batches per worker in flight. */
  async run(tasks: AsyncIterable<HashTask> | Iterable<HashTask>, onResults: (results: HashResult[]) => void): Promise<void> {
    const running: Promise<void>[] = [];
    const batch = new TaskBatch();
    const flush = async () => {
      if (batch.isEmpty()) return;
      const slot = await this.reserveSlot();
      running.push(this.send(slot, batch.take()).then(onResults));
    };
    for await (const task of tasks) if (batch.add(task)) await flush();
    await flush();
    await Promise.all(running);
    if (this.failure) throw this.failure;
  }

  /** Hashes one batch on the least busy worker, once one has room. */
  async hash(tasks: HashTask[]): Promise<HashResult[]> {
    return this.send(await this.reserveSlot(), tasks);
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private send(slot: Slot, tasks: HashTask[]): Promise<HashResult[]> {
    const id = this.nextBatch++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ batch: id, tasks });
    });
  }

  /**
   * The least busy worker with room, counted busy at once: callers that wait here together must not
   * all pick the same idle worker before any of them has sent.
   */
  private async reserveSlot(): Promise<Slot> {
    for (;;) {
      if (this.failure) throw this.failure;
      const slot = this.slots.reduce((best, candidate) => (candidate.inFlight < best.inFlight ? candidate : best));
      if (slot.inFlight < 2) {
        slot.inFlight++;
        return slot;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
    this.wake();
  }
}
