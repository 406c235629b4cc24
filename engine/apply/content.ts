/**
 * Content checks off the main thread: files are read and hashed by the hash workers
 * (engine/hash), so a multi-gigabyte file does not stall the heartbeat that keeps the run's lease.
 *
 * A hash is remembered with the identity the worker saw when it opened the file (device, inode,
 * size, mtime, ctime — taken before the read). While an lstat still shows that identity the file
 * was not written since (every write moves its ctime, and ctime cannot be set back), so a kept
 * copy that several displaced copies rely on is read once per run, not once per step.
 */
import { HashPool, type HashTask } from '../hash/index.ts';
import type { BigStats } from './files.ts';

interface Known {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  hash: string;
}

/** Remembered hashes: enough for the keepers of neighbouring steps, bounded for runs of millions. */
const rememberAtMost = 4096;

export class ContentChecker {
  private pool: HashPool | undefined;
  private nextTask = 0;
  private readonly known = new Map<string, Known>();

  /**
   * The XXH128 of the file `stat` describes, or null when it changed while it was read (the
   * caller treats that as a changed file). Errors (EACCES, EIO, ...) are thrown with their code.
   */
  readonly hash = async (path: Buffer, stat: BigStats): Promise<string | null> => {
    const key = path.toString('latin1');
    const known = this.known.get(key);
    if (known && sameIdentity(known, stat)) return known.hash;
    this.pool ??= new HashPool({ workers: 2 });
    const task: HashTask = { id: this.nextTask++, path, kind: 'full', size: stat.size, dev: stat.dev, ino: stat.ino, withTimes: true };
    const [result] = await this.pool.hash([task]);
    if (!result || result.errorCode === 'ECHANGED') return null;
    if (result.errorCode) throw Object.assign(new Error(result.errorMessage ?? result.errorCode), { code: result.errorCode });
    const hash = result.full!;
    const times = result.times!;
    this.known.delete(key);
    if (this.known.size >= rememberAtMost) this.known.delete(this.known.keys().next().value!);
    this.known.set(key, { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeNs: times.mtimeNs, ctimeNs: times.ctimeNs, hash });
    return hash;
  };

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}

function sameIdentity(known: Known, stat: BigStats): boolean {
  return known.dev === stat.dev && known.ino === stat.ino && known.size === stat.size && known.mtimeNs === stat.mtimeNs && known.ctimeNs === stat.ctimeNs;
}
