/**
 * Writes hash results to the catalog and tallies them. Results are written in large
 * transactions, in row order: each commit rewrites the table and hash-index pages it touched, and
 * results arrive in read order (by inode), which touches pages at random (256-row commits cost four
 * times as much, measured on 70k results; a first scan of 200k small files spent 2.5 s of the
 * writer's time saving 8,192 results at a time in arrival order, ≈ 1 s in batches of 65,536 in id order).
 */
import type { Db } from '../db/index.ts';
import type { HashResult, HashTask } from '../hash/index.ts';

export interface HashTotals {
  filesHashed: number;
  bytesRead: number;
  errors: { path: string; code: string; message: string }[];
}

/** Hash results per write transaction. */
const SAVE_EVERY = 65_536;

export class HashSaver {
  readonly totals: HashTotals = { filesHashed: 0, bytesRead: 0, errors: [] };
  /** Tasks handed out and not yet answered, by id. */
  private readonly tasks = new Map<number, HashTask>();
  /** Tasks whose inode has several catalog rows (hard links, or two sources in one folder). */
  private readonly shared = new Set<number>();
  private unsaved: { task: HashTask; result: HashResult; sharedInode: boolean }[] = [];
  private readonly save;

  constructor(db: Db) {
    const hashColumns = 'headHash = coalesce(?, headHash), tailHash = coalesce(?, tailHash), fullHash = coalesce(?, fullHash)';
    const byInode = db.prepare(`UPDATE Entry SET ${hashColumns} WHERE dev = ? AND ino = ? AND size = ? AND type = 'file' AND removedScanId IS NULL`);
    // The common case, one row per inode: a primary-key update is cheaper on the busy main thread.
    const byId = db.prepare(`UPDATE Entry SET ${hashColumns} WHERE id = ?`);
    const saveError = db.prepare('UPDATE Entry SET errorCode = ?, errorMessage = ? WHERE id = ?');
    this.save = db.transaction((answered: typeof this.unsaved) => {
      for (const { task, result, sharedInode } of answered) {
        if (result.errorCode) {
          saveError.run(result.errorCode, result.errorMessage ?? result.errorCode, result.id);
          continue;
        }
        const hashes = [result.head ?? null, result.tail ?? null, result.full ?? null];
        if (sharedInode) byInode.run(...hashes, task.dev, task.ino, task.size);
        else byId.run(...hashes, task.id);
      }
    });
  }

  /** Registers a task before it goes to the pool. */
  expect(task: HashTask, sharedInode: boolean): void {
    this.tasks.set(task.id, task);
    if (sharedInode) this.shared.add(task.id);
  }

  /**
   * Tallies a batch of results, calling `each` with its task (which may hand the same file out
   * again, for a further stage), and saves when enough have gathered.
   */
  accept(results: HashResult[], each?: (task: HashTask, result: HashResult) => void): void {
    for (const result of results) {
      const task = this.tasks.get(result.id)!;
      this.tasks.delete(result.id);
      const sharedInode = this.shared.delete(result.id);
      this.totals.bytesRead += result.bytesRead;
      if (result.errorCode) this.totals.errors.push({ path: Buffer.from(task.path).toString('utf8'), code: result.errorCode, message: result.errorMessage ?? '' });
      else if (result.full) this.totals.filesHashed++;
      this.unsaved.push({ task, result, sharedInode });
      each?.(task, result);
    }
    if (this.unsaved.length >= SAVE_EVERY) this.flush();
  }

  /** Counts a file the walk read itself (its hashes went in with its row). */
  tally(bytesRead: number): void {
    this.totals.filesHashed++;
    this.totals.bytesRead += bytesRead;
  }

  flush(): void {
    this.unsaved.sort((a, b) => a.task.id - b.task.id);
    this.save(this.unsaved);
    this.unsaved = [];
  }
}
