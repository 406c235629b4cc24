/**
 * `scan --full`: files are hashed while the walk goes on, each as soon as its row is written, so
 * reading overlaps walking instead of following it. Every current file is read, also those whose
 * metadata did not change — this is the integrity audit: content whose stored hash no longer
 * matches while size, mtime and ctime stayed the same is reported (silent corruption, or a write
 * that bypassed the filesystem). Files with several hard links wait for the hash stage after the
 * walk, which reads each inode once and writes the hash to every link.
 */
import type { Db } from '../db/index.ts';
import type { HashPool, HashResult, HashTask } from '../hash/index.ts';
import { HashSaver, type HashTotals } from './saver.ts';
import type { WalkedEntry } from './walk.ts';
import type { Written } from './writer.ts';

export interface ContentChange {
  path: string;
  storedHash: string;
  hash: string;
}

/** Tasks queued beyond this make the walk wait (memory stays bounded when reading is slower). */
const MAX_QUEUED = 4096;

export class WalkHasher {
  private readonly saver: HashSaver;
  private queue: HashTask[] = [];
  private next = 0;
  private closed = false;
  private wakePool: (() => void) | undefined;
  private wakeWalk: (() => void) | undefined;
  private readonly running: Promise<void>;
  /** Stored hashes of unchanged entries in flight, by row id. */
  private readonly storedHashes = new Map<number, string>();
  constructor(
    db: Db,
    pool: HashPool,
    private readonly listener: { onResults(totals: HashTotals): void; onContentChange(change: ContentChange): void },
  ) {
    this.saver = new HashSaver(db);
    this.running = pool.run(this.tasks(), (results: HashResult[]) => {
      this.saver.accept(results, (task, result) => this.compare(task, result));
      listener.onResults(this.saver.totals);
    });
    // A failure surfaces from finish(); until then the walk goes on.
    this.running.catch(() => {});
  }

  /** Hands a walked file to the pool once its row is written. */
  add(entry: WalkedEntry, written: Written): void {
    if (entry.type !== 'file' || entry.errorCode || entry.skipReason || entry.stat.size === 0n || entry.stat.nlink > 1n) return;
    const task: HashTask = { id: written.id, path: entry.absPath, kind: 'full', size: entry.stat.size, dev: entry.stat.dev, ino: entry.stat.ino };
    this.saver.expect(task, false);
    if (written.storedHash) this.storedHashes.set(task.id, written.storedHash);
    this.queue.push(task);
    this.wakePool?.();
  }

  /** Resolves once the queue is short enough to take more. */
  async room(): Promise<void> {
    while (this.queue.length - this.next > MAX_QUEUED) await new Promise<void>((resolve) => (this.wakeWalk = resolve));
  }

  /** Waits for every queued file, saves the last results and returns the totals. */
  async finish(): Promise<HashTotals> {
    this.closed = true;
    this.wakePool?.();
    await this.running;
    this.saver.flush();
    return this.saver.totals;
  }

  private async *tasks(): AsyncGenerator<HashTask> {
    for (;;) {
      if (this.next < this.queue.length) {
        const task = this.queue[this.next++]!;
        if (this.next >= MAX_QUEUED) {
          this.queue = this.queue.slice(this.next);
          this.next = 0;
        }
        if (this.queue.length - this.next <= MAX_QUEUED) this.wakeWalk?.();
        yield task;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wakePool = resolve));
    }
  }

  private compare(task: HashTask, result: HashResult): void {
    const storedHash = this.storedHashes.get(task.id);
    if (storedHash === undefined) return;
    this.storedHashes.delete(task.id);
    if (result.full && result.full !== storedHash) this.listener.onContentChange({ path: Buffer.from(task.path).toString('utf8'), storedHash, hash: result.full });
  }
}
