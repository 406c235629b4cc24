/**
 * Content checks off the main thread: files are read and hashed by the hash workers
 * (engine/hash), so a multi-gigabyte file does not stall the heartbeat that keeps the run's lease.
 *
 * A hash is remembered with the identity the worker saw when it opened the file (device, inode,
 * size, mtime, ctime — taken before the read). While an lstat still shows that identity the file
 * was not written since (every write moves its ctime, and ctime cannot be set back), so a kept
 * copy that several displaced copies rely on is read once per run, not once per step.
 *
 * Requests made together (the checks of a batch run side by side) travel to the workers together,
 * many files to a message: one message per small file cost more than hashing it.
 */
import { HashPool, TaskBatch, type HashResult, type HashTask } from '../hash/index.ts';
import type { BigStats } from './files.ts';

interface Identity {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

interface Known extends Identity {
  hash: string;
}

/** A request waiting for the next message to the workers. */
interface Waiting {
  key: string;
  stat: BigStats;
  task: HashTask;
  resolve(hash: string | null): void;
  reject(error: Error): void;
}

/** Remembered hashes: enough for a batch's sources and keepers (2 × 512), bounded for runs of millions. */
const rememberAtMost = 4096;

export class ContentChecker {
  private pool: HashPool | undefined;
  private nextTask = 0;
  private readonly known = new Map<string, Known>();
  private queue: Waiting[] = [];
  /** Requests on their way, by path: a second request for the same file as it stands shares the first. */
  private readonly asked = new Map<string, { stat: BigStats; hash: Promise<string | null> }>();

  /**
   * The XXH128 of the file `stat` describes, or null when it changed while it was read (the
   * caller treats that as a changed file). Errors (EACCES, EIO, ...) are thrown with their code.
   */
  readonly hash = (path: Buffer, stat: BigStats): Promise<string | null> => {
    const key = path.toString('latin1');
    const known = this.known.get(key);
    if (known && sameIdentity(known, stat)) return Promise.resolve(known.hash);
    const asked = this.asked.get(key);
    if (asked && sameIdentity(asked.stat, stat)) return asked.hash;
    const hash = new Promise<string | null>((resolve, reject) => {
      const task: HashTask = { id: this.nextTask++, path, kind: 'full', size: stat.size, dev: stat.dev, ino: stat.ino, withTimes: true };
      this.queue.push({ key, stat, task, resolve, reject });
    });
    this.asked.set(key, { stat, hash });
    // Sent once the requests made in the same turn have joined (a batch's checks ask together).
    if (this.queue.length === 1) queueMicrotask(() => this.send());
    return hash;
  };

  private send(): void {
    const queue = this.queue;
    this.queue = [];
    const batch = new TaskBatch();
    let group: Waiting[] = [];
    for (const waiting of queue) {
      group.push(waiting);
      if (batch.add(waiting.task)) {
        this.hashGroup(batch.take(), group);
        group = [];
      }
    }
    if (!batch.isEmpty()) this.hashGroup(batch.take(), group);
  }

  private hashGroup(tasks: HashTask[], group: Waiting[]): void {
    this.pool ??= new HashPool({ workers: 2 });
    this.pool.hash(tasks).then(
      (results) => {
        const byId = new Map(results.map((result) => [result.id, result]));
        for (const waiting of group) {
          this.forget(waiting);
          const result = byId.get(waiting.task.id);
          if (!result || result.errorCode === 'ECHANGED') waiting.resolve(null);
          else if (result.errorCode) waiting.reject(Object.assign(new Error(result.errorMessage ?? result.errorCode), { code: result.errorCode }));
          else waiting.resolve(this.remember(waiting.key, waiting.stat, result));
        }
      },
      (error: Error) => {
        for (const waiting of group) {
          this.forget(waiting);
          waiting.reject(error);
        }
      },
    );
  }

  private forget(waiting: Waiting): void {
    if (this.asked.get(waiting.key)?.stat === waiting.stat) this.asked.delete(waiting.key);
  }

  /** Keeps the hash under the identity the worker opened (the times it saw before reading). */
  private remember(key: string, stat: BigStats, result: HashResult): string {
    const hash = result.full!;
    const times = result.times!;
    this.known.delete(key);
    if (this.known.size >= rememberAtMost) this.known.delete(this.known.keys().next().value!);
    this.known.set(key, { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeNs: times.mtimeNs, ctimeNs: times.ctimeNs, hash });
    return hash;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}

function sameIdentity(known: Identity, stat: Identity): boolean {
  return known.dev === stat.dev && known.ino === stat.ino && known.size === stat.size && known.mtimeNs === stat.mtimeNs && known.ctimeNs === stat.ctimeNs;
}
