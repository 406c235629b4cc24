/**
 * Hashing while the walk goes on: files are handed to the hash workers as soon as their rows are
 * written, so reading overlaps walking instead of following it.
 *
 * - `full` (scan --full): every current file is read, also those whose metadata did not change —
 *   the integrity audit: content whose stored hash no longer matches while size, mtime and ctime
 *   stayed the same is reported (silent corruption, or a write that bypassed the filesystem).
 *   A first scan's walkers read the files themselves (walk-content.ts); they arrive hashed.
 * - `candidates`: the stages of hashing.ts run early on what this walk writes — the second file of
 *   a size sends both to the head hash (or straight to the full hash up to 32 KiB), the second
 *   file of a (size, head) sends both to the full hash. The staged queries after the walk remain
 *   the complete rule (twins among rows this walk did not write); they find little left to read.
 *
 * Files with several hard links wait for the stages after the walk, which read each inode once and
 * write the hash to every link.
 */
import type { Db } from '../db/index.ts';
import { TaskBatch, type HashKind, type HashPool, type HashResult, type HashTask } from '../hash/index.ts';
import { DIRECT_FULL_MAX } from './hashing.ts';
import { HashSaver, type HashTotals } from './saver.ts';
import type { WalkedEntry } from './walk.ts';
import type { Written } from './writer.ts';

export type WalkHashing = 'full' | 'candidates';

export interface ContentChange {
  path: string;
  storedHash: string;
  hash: string;
}

export interface WalkHashListener {
  onResults(totals: HashTotals): void;
  onContentChange(change: ContentChange): void;
}

/** Batches in flight beyond this make the walk wait (memory stays bounded when reading is slower). */
const MAX_BATCHES_IN_FLIGHT = 16;
/**
 * Files handed out wait in a window of up to this many and go out in device and inode order: on a
 * cold disk, roughly where their data lies (fclones orders its reads so), not the order the walk
 * met them. The window goes out early whenever the workers are about to run dry.
 */
const READ_WINDOW = 2048;
/** In `firstOfSize`: the size's files have been handed out already. */
const HANDED_OUT = -1;

export class WalkHasher {
  private readonly saver: HashSaver;
  private readonly batch = new TaskBatch();
  private window: HashTask[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: Error | undefined;
  /** Stored hashes of unchanged entries in flight (full mode), by row id. */
  private readonly storedHashes = new Map<number, string>();
  /** Candidates mode: per size, the first row seen (one number per distinct size), or HANDED_OUT. */
  private readonly firstOfSize = new Map<number, number>();
  /** Candidates mode: per (size, head hash) of a large file, the first task seen, or null once handed out. */
  private readonly firstOfHead = new Map<string, HashTask | null>();
  private readonly taskById;
  /** Regular files left to the stages after the walk (several hard links). */
  private leftForStages = 0;

  constructor(
    db: Db,
    private readonly pool: () => HashPool,
    private readonly mode: WalkHashing,
    private readonly beforeHash: ((paths: Uint8Array[]) => void) | undefined,
    private readonly listener: WalkHashListener,
  ) {
    this.saver = new HashSaver(db);
    this.taskById = db
      .prepare(`SELECT CAST(CAST(s.root AS BLOB) || X'2F' || e.relPath AS BLOB) AS path, e.size, e.dev, e.ino FROM Entry e JOIN Source s ON s.id = e.sourceId WHERE e.id = ?`)
      .safeIntegers(true);
  }

  /** Considers a walked file once its row is written. */
  add(entry: WalkedEntry, written: Written): void {
    const s = entry.stat;
    if (entry.content) {
      // Read by the walk itself (a first --full): counted, nothing to hand out.
      if (entry.content.bytesRead > 0) this.saver.tally(entry.content.bytesRead);
      this.listener.onResults(this.saver.totals);
      return;
    }
    if (entry.type !== 'file' || entry.errorCode || entry.skipReason || s.size === 0n) return;
    if (s.nlink > 1n) {
      this.leftForStages++;
      return;
    }
    const task = (kind: HashKind): HashTask => ({ id: written.id, path: entry.absPath, kind, size: s.size, dev: s.dev, ino: s.ino });
    if (this.mode === 'full') {
      if (written.storedHash) this.storedHashes.set(written.id, written.storedHash);
      this.queue(task('full'));
      return;
    }
    if (written.outcome === 'unchanged') return;
    const size = Number(s.size);
    const kind = size <= DIRECT_FULL_MAX ? 'full' : 'head';
    const first = this.firstOfSize.get(size);
    if (first === undefined) {
      this.firstOfSize.set(size, written.id);
      return;
    }
    if (first !== HANDED_OUT) {
      this.queue(this.storedTask(first, kind));
      this.firstOfSize.set(size, HANDED_OUT);
    }
    this.queue(task(kind));
  }

  /**
   * In candidates mode, whether this walk alone settled every candidate among the rows it wrote:
   * true unless files were left to the stages after the walk. (Twins among rows it did not write
   * are the stages' to find.)
   */
  get settledItsRows(): boolean {
    return this.mode === 'candidates' && this.leftForStages === 0;
  }

  /** Sends what is batched and waits while too much is in flight. */
  async room(): Promise<void> {
    this.release();
    this.send();
    while (this.inFlight.size > MAX_BATCHES_IN_FLIGHT) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
  }

  /** Waits for every file handed out (and the full hashes head twins led to), saves, returns the totals. */
  async finish(): Promise<HashTotals> {
    while (this.window.length > 0 || !this.batch.isEmpty() || this.inFlight.size > 0) {
      this.release();
      this.send();
      await Promise.race(this.inFlight);
    }
    if (this.failure) throw this.failure;
    this.saver.flush();
    return this.saver.totals;
  }

  private queue(task: HashTask): void {
    this.saver.expect(task, false);
    this.window.push(task);
    if (this.window.length >= READ_WINDOW) this.release();
  }

  /** Hands the window's files to batches in device and inode order. */
  private release(): void {
    const tasks = this.window.sort((a, b) => (a.dev !== b.dev ? (a.dev < b.dev ? -1 : 1) : a.ino < b.ino ? -1 : a.ino > b.ino ? 1 : 0));
    this.window = [];
    for (const task of tasks) if (this.batch.add(task)) this.send();
  }

  private send(): void {
    if (this.batch.isEmpty()) return;
    const tasks = this.batch.take();
    this.beforeHash?.(tasks.map((task) => task.path));
    const done: Promise<void> = this.pool()
      .hash(tasks)
      .then((results) => this.accept(results))
      .catch((error: Error) => {
        this.failure ??= error;
      })
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  private accept(results: HashResult[]): void {
    this.saver.accept(results, (task, result) => {
      if (task.kind === 'head' && result.head) this.headTwins(task, result.head);
      else if (result.full) this.audit(task, result.full);
    });
    this.listener.onResults(this.saver.totals);
    // The workers are running dry: what waits goes out now. (When reads are slower than the walk,
    // as on a cold disk, the window fills and is sorted; when they keep up, nothing waits for it.)
    if (this.inFlight.size <= 1) this.release();
    this.send();
  }

  private headTwins(task: HashTask, head: string): void {
    const key = `${task.size}:${head}`;
    const first = this.firstOfHead.get(key);
    if (first === undefined) {
      this.firstOfHead.set(key, task);
      return;
    }
    if (first) this.queue({ ...first, kind: 'full' });
    this.firstOfHead.set(key, null);
    this.queue({ ...task, kind: 'full' });
  }

  private audit(task: HashTask, hash: string): void {
    const storedHash = this.storedHashes.get(task.id);
    if (storedHash === undefined) return;
    this.storedHashes.delete(task.id);
    if (hash !== storedHash) this.listener.onContentChange({ path: Buffer.from(task.path).toString('utf8'), storedHash, hash });
  }

  private storedTask(id: number, kind: HashKind): HashTask {
    const row = this.taskById.get(id) as { path: Buffer; size: bigint; dev: bigint; ino: bigint };
    return { id, path: row.path, kind, size: row.size, dev: row.dev, ino: row.ino };
  }
}
