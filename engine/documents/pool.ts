/**
 * Document views run on worker threads, never on the thread that serves requests: a parser stuck
 * on a hostile file costs one worker, which is ended (terminate) when its task outlives the
 * timeout and replaced on the next task. Heap is capped per worker; beyond it the worker dies
 * and the answer is "too large". Requests beyond the queue get "busy" at once.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { projectRoot } from '../project.ts';
import { startWorker } from '../threads.ts';
import { limits } from './limits.ts';
import { DocumentRefused, type Refusal } from './refused.ts';
import type { DocumentDiff, DocumentView, OpenedFile } from './types.ts';

export type WorkerRequest =
  | { id: number; op: 'view' | 'thumbnail'; files: [OpenedFile] }
  | { id: number; op: 'diff' | 'overlay'; files: [OpenedFile, OpenedFile] };

export type WorkerResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; refusal: Refusal };

type Task = Omit<WorkerRequest, 'id'>;

interface Job {
  task: Task;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

export interface DocumentPoolOptions {
  /** Worker threads at most (started when needed). */
  workers?: number;
  timeoutMs?: number;
  queue?: number;
  heapMb?: number;
}

/**
 * From source (tests, tsx) the TypeScript worker; bundled (the CLI in dist/, the web server's
 * build) the worker esbuild wrote to dist/ — the web build holds no copy of it. Next's server
 * bundle reports this module's source URL but resolves no modules at run time (no
 * import.meta.resolve), so it takes the built worker too.
 */
function startDocumentsWorker(options: WorkerOptions): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts') && typeof import.meta.resolve === 'function') {
    return startWorker(pathToFileURL(path.join(path.dirname(here), 'documents.worker.ts')), options);
  }
  return new Worker(path.join(projectRoot(), 'dist', 'documents.worker.js'), options);
}

export class DocumentPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 0;
  private readonly workers: number;
  private readonly timeoutMs: number;
  private readonly queue: number;
  private readonly heapMb: number;

  constructor(options: DocumentPoolOptions = {}) {
    this.workers = options.workers ?? 2;
    this.timeoutMs = options.timeoutMs ?? limits.timeoutMs;
    this.queue = options.queue ?? limits.queue;
    this.heapMb = options.heapMb ?? limits.workerHeapMb;
  }

  /** The content of one file; refusals are answers, not errors. */
  async view(file: OpenedFile): Promise<DocumentView> {
    return this.answer(() => this.run({ op: 'view', files: [file] }) as Promise<DocumentView>);
  }

  /** The diff, and for pictures the PNG overlay of differing pixels. */
  async diff(a: OpenedFile, b: OpenedFile): Promise<{ diff: DocumentDiff; overlay?: Uint8Array }> {
    try {
      return (await this.run({ op: 'diff', files: [a, b] })) as { diff: DocumentDiff; overlay?: Uint8Array };
    } catch (error) {
      if (error instanceof DocumentRefused) return { diff: error.toAnswer() };
      throw error;
    }
  }

  /** A PNG thumbnail (throws DocumentRefused). */
  async thumbnail(file: OpenedFile): Promise<Uint8Array> {
    return (await this.run({ op: 'thumbnail', files: [file] })) as Uint8Array;
  }

  /** The PNG overlay of two pictures' differing pixels (throws DocumentRefused). */
  async overlay(a: OpenedFile, b: OpenedFile): Promise<Uint8Array> {
    return (await this.run({ op: 'overlay', files: [a, b] })) as Uint8Array;
  }

  private async answer<T>(call: () => Promise<T>): Promise<T | Refusal> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof DocumentRefused) return error.toAnswer();
      throw error;
    }
  }

  /**
   * Resolves once the worker answered, or — timed out, out of memory, crashed — once the worker
   * has stopped: the caller may close the descriptors as soon as this settles.
   */
  private run(task: Task): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const busy = this.slots.filter((slot) => slot.job !== null).length;
      if (busy >= this.workers && this.waiting.length >= this.queue) {
        reject(new DocumentRefused('busy', `${this.waiting.length} views are waiting already; try again in a moment`));
        return;
      }
      this.waiting.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.slots.find((candidate) => candidate.job === null);
      if (!slot) {
        if (this.slots.length >= this.workers) return;
        slot = this.spawn();
      }
      this.start(slot, this.waiting.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = startDocumentsWorker({ resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 32 } });
    worker.unref();
    const slot: Slot = { worker, job: null };
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, job: Job): void {
    const id = ++this.nextId;
    slot.job = job;
    let settled = false;
    const finish = (outcome: () => void, retire: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      slot.worker.off('message', onMessage);
      slot.worker.off('error', onError);
      slot.worker.off('exit', onExit);
      const done = () => {
        slot.job = null;
        outcome();
        this.dispatch();
      };
      if (!retire) return done();
      this.slots.splice(this.slots.indexOf(slot), 1);
      // The descriptors stay open until the worker can no longer read them.
      void slot.worker.terminate().finally(done);
    };
    const onMessage = (response: WorkerResponse) => {
      if (response.id !== id) return;
      if (response.ok) finish(() => job.resolve(response.result), false);
      else finish(() => job.reject(new DocumentRefused(response.refusal.reason, response.refusal.message)), false);
    };
    const onError = (error: Error & { code?: string }) => {
      const refusal =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new DocumentRefused('too-large', `reading the file needed more than ${this.heapMb} MiB of memory`)
          : new DocumentRefused('unreadable', `could not read the file: ${error.message.slice(0, 200)}`);
      finish(() => job.reject(refusal), true);
    };
    const onExit = () => finish(() => job.reject(new DocumentRefused('unreadable', 'could not read the file: the reader stopped')), true);
    const timer = setTimeout(
      () => finish(() => job.reject(new DocumentRefused('timed-out', `reading the file took longer than ${this.timeoutMs / 1000} s`)), true),
      this.timeoutMs,
    );
    slot.worker.on('message', onMessage);
    slot.worker.on('error', onError);
    slot.worker.on('exit', onExit);
    slot.worker.postMessage({ ...job.task, id } as WorkerRequest);
  }

  /** Ends every worker (tests, shutdown). */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }
}
