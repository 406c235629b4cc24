/**
 * Re-reading files for a verification on the hash workers (never the main thread), a bounded
 * number of batches in flight, each result handed to the caller's callback. What is read is kept
 * as a ContentDigest (device, inode, size, mtime, ctime at the read), so a file that has not
 * changed since is trusted next time, as the catalog is trusted for files unchanged since the scan.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/index.ts';
import { HashPool, TaskBatch, type DigestKind, type HashResult, type HashTask } from '../hash/index.ts';
import type { Tally } from './types.ts';

export type ReadKind = 'full' | DigestKind;

/** What a file is on disk: lstat's identity fields. */
export interface FileStat {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  isFile: boolean;
}

/** lstat without throwing: null when the path (or a folder above it) is gone. */
export function statOf(file: Buffer): FileStat | null {
  try {
    const stat = fs.lstatSync(file, { bigint: true, throwIfNoEntry: false });
    if (!stat) return null;
    return { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, isFile: stat.isFile() };
  } catch {
    return null;
  }
}

/** The digest's value, or why it could not be had (ENOENT, EACCES, ECHANGED, ...). */
export type ReadResult = { value: string } | { error: string };

export class Rehasher {
  readonly read: Tally = { files: 0, bytes: 0 };
  private readonly pool: HashPool;
  private readonly batch = new TaskBatch();
  private readonly callbacks = new Map<number, (result: ReadResult) => void>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly limit: number;
  private readonly keep: Statement;
  private readonly kept: Statement;
  private nextId = 0;

  constructor(
    private readonly db: Db,
    workers?: number,
  ) {
    const count = Math.max(1, workers ?? Math.min(os.availableParallelism(), 4));
    this.pool = new HashPool({ workers: count });
    // Two batches per worker in flight (the pool's own limit) and one being filled.
    this.limit = 2 * count + 1;
    this.keep = db.prepare('INSERT OR REPLACE INTO ContentDigest (dev, ino, kind, size, mtimeNs, ctimeNs, value) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.kept = db.prepare('SELECT value FROM ContentDigest WHERE dev = ? AND ino = ? AND kind = ? AND size = ? AND mtimeNs = ? AND ctimeNs = ?').pluck();
  }

  /** A digest read earlier (by a plan or a verification) of this very file, unchanged since. */
  keptDigest(stat: FileStat, kind: ReadKind): string | undefined {
    return this.kept.get(stat.dev, stat.ino, kind, stat.size, stat.mtimeNs, stat.ctimeNs) as string | undefined;
  }

  /** Queues a read of `file` as it is now (`stat`); waits while the workers have enough to do. */
  async submit(file: Buffer, stat: FileStat, kind: ReadKind, onResult: (result: ReadResult) => void): Promise<void> {
    const id = this.nextId++;
    this.callbacks.set(id, onResult);
    const task: HashTask = { id, path: file, kind, size: stat.size, dev: stat.dev, ino: stat.ino, withTimes: true };
    if (this.batch.add(task)) await this.flush();
  }

  /** Sends what is queued and waits for every read to be answered, including reads an answer queued. */
  async drain(): Promise<void> {
    while (!this.batch.isEmpty() || this.inFlight.size > 0) {
      await this.flush();
      await Promise.all([...this.inFlight]);
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async flush(): Promise<void> {
    if (this.batch.isEmpty()) return;
    while (this.inFlight.size >= this.limit) await Promise.race(this.inFlight);
    const tasks = this.batch.take();
    const sent: Promise<void> = this.pool.hash(tasks).then((results) => {
      this.inFlight.delete(sent);
      this.answer(tasks, results);
    });
    this.inFlight.add(sent);
  }

  private answer(tasks: HashTask[], results: HashResult[]): void {
    const byId = new Map(tasks.map((task) => [task.id, task]));
    this.db.transaction(() => {
      for (const result of results) {
        const task = byId.get(result.id)!;
        const callback = this.callbacks.get(result.id)!;
        this.callbacks.delete(result.id);
        this.read.files += 1;
        this.read.bytes += result.bytesRead;
        const value = task.kind === 'full' ? result.full : result.digest;
        if (result.errorCode || value === undefined) {
          callback({ error: result.errorCode ?? 'EIO' });
          continue;
        }
        if (result.times) this.keep.run(task.dev, task.ino, task.kind, task.size, result.times.mtimeNs, result.times.ctimeNs, value);
        callback({ value });
      }
    })();
  }
}
