/**
 * One process per run: an exclusive lock file in the run's journal folder, created with O_EXCL
 * and holding who made it (host, pid, the process's start time and the boot it ran in, the job
 * lease owner). Node has no flock() without a native addon, and a lock that is only a database
 * lease expires while its holder is still renaming.
 *
 * A lock is broken only when its holder is known to be gone: same host and boot, and the pid is
 * not alive or is now another process (another start time); a lock from an earlier boot of this
 * host is gone too. A lock from another host, or one that cannot be read, is never broken: the
 * run refuses to start and says which file to look at (as restic refuses on an unreadable lock).
 * Breaking happens inside an IMMEDIATE transaction of the run's database, so two processes that
 * both find a stale lock cannot both take the run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db/index.ts';
import { JobLostError } from '../jobs/index.ts';
import { fsyncDirectory, makeFoldersDurable } from '../journal/index.ts';

export interface LockHolder {
  host: string;
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22); null off Linux. */
  started: string | null;
  boot: string | null;
  /** The job lease owner, so a process that finds the lock can hand the lease back to its holder. */
  owner: string | null;
  nonce: string;
  at: string;
}

/** The run is held by another live process: nothing was touched. */
export class RunLockedError extends JobLostError {
  override readonly name = 'RunLockedError';

  constructor(
    message: string,
    readonly holder: LockHolder | null,
  ) {
    super(message);
    // The lease this process may have just taken belongs to the holder at work.
    if (holder?.owner) this.leaseHolder = holder.owner;
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/** A process's start time, which tells a reused pid from the process that took the lock. */
function processStart(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return null;
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

const bootId = (): string | null => readText('/proc/sys/kernel/random/boot_id');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the holder is known to be gone; false when it lives or cannot be judged from here. */
export function holderGone(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return false;
  const boot = bootId();
  if (holder.boot && boot && holder.boot !== boot) return true;
  if (!alive(holder.pid)) return true;
  const started = processStart(holder.pid);
  return holder.started !== null && started !== null && started !== holder.started;
}

function describe(holder: LockHolder): string {
  return `process ${holder.pid} on ${holder.host} (since ${holder.at})`;
}

export class RunLock {
  private constructor(
    readonly file: string,
    private readonly holder: LockHolder,
  ) {}

  /** Takes the run's lock, breaking it only when its holder is gone; throws RunLockedError otherwise. */
  static acquire(db: Db, dir: string, owner: string | null): RunLock {
    makeFoldersDurable(dir);
    const file = path.join(dir, 'lock');
    const holder: LockHolder = {
      host: os.hostname(),
      pid: process.pid,
      started: processStart(process.pid),
      boot: bootId(),
      owner,
      nonce: crypto.randomBytes(8).toString('hex'),
      at: new Date().toISOString(),
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      if (create(file, holder)) return new RunLock(file, holder);
      const text = readText(file);
      if (text === null) continue; // released meanwhile
      const current = parse(text);
      if (!current) {
        throw new RunLockedError(`the lock ${file} cannot be read; if no reconcile process works on this run any more, remove it`, null);
      }
      if (!holderGone(current)) {
        const where = current.host === os.hostname() ? '' : ' (another host: remove the file once that process has stopped)';
        throw new RunLockedError(`this run is being worked on by ${describe(current)}; its lock is ${file}${where}`, current);
      }
      // Taken over inside a write transaction: only one process breaks a given stale lock.
      const broke = db.transaction(() => {
        if (readText(file) !== text) return false;
        fs.unlinkSync(file);
        return create(file, holder);
      });
      if (broke.immediate()) return new RunLock(file, holder);
    }
    throw new RunLockedError(`the lock ${file} keeps changing hands; try again`, null);
  }

  /**
   * Closes what the run holds open, in turn, each even when one before failed (a failed last
   * fsync of the journal must not leave hash workers alive, which would keep the process from
   * exiting), then drops the lock; the first failure is rethrown.
   */
  async releaseAfter(...closers: (() => unknown)[]): Promise<void> {
    let failure: { error: unknown } | undefined;
    for (const close of closers) {
      try {
        await close();
      } catch (error) {
        failure ??= { error };
      }
    }
    this.release();
    if (failure) throw failure.error;
  }

  /** Drops the lock if it is still ours. */
  release(): void {
    const current = parse(readText(this.file) ?? '');
    if (current?.nonce !== this.holder.nonce) return;
    fs.unlinkSync(this.file);
    fsyncDirectory(path.dirname(this.file));
  }
}

function parse(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.host === 'string' && typeof value.pid === 'number' && typeof value.nonce === 'string' ? (value as LockHolder) : null;
  } catch {
    return null;
  }
}

/**
 * Creates the lock file with its holder, durably; false when one exists. Written under a name of
 * its own and then linked into place, so a lock is never seen half-written (where hard links are
 * unsupported it is created O_EXCL and written in place).
 */
function create(file: string, holder: LockHolder): boolean {
  const own = `${file}.${holder.nonce}`;
  writeDurably(own, holder, fs.constants.O_TRUNC);
  try {
    fs.linkSync(own, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    try {
      writeDurably(file, holder, fs.constants.O_EXCL);
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallback;
    }
  } finally {
    fs.rmSync(own, { force: true });
  }
  fsyncDirectory(path.dirname(file));
  return true;
}

function writeDurably(file: string, holder: LockHolder, flag: number): void {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW | flag, 0o644);
  try {
    fs.writeSync(fd, `${JSON.stringify(holder)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
