/**
 * File-system steps of an operation: stat without throwing, the folders a step must create,
 * hashing, and a verified copy (temp name, fsync, re-read and hash) that keeps metadata.
 */
import fs from 'node:fs';
import xattr from '@napi-rs/xattr';
import { ContentHasher } from '../hash/index.ts';
import { fsyncDirectory } from '../journal/index.ts';
import { parentOf } from './paths.ts';

export type BigStats = fs.BigIntStats;

const reader = new ContentHasher(4 * 1024 * 1024);

export function lstatOrNull(raw: Buffer): BigStats | null {
  try {
    return fs.lstatSync(raw, { bigint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

export function hashFile(raw: Buffer): string {
  return reader.hashFile(raw).hash;
}

/** Folders from the top down that do not exist yet on the way to `dir` (inclusive). */
export function missingFolders(dir: Buffer): Buffer[] {
  const missing: Buffer[] = [];
  let current = dir;
  while (lstatOrNull(current) === null) {
    missing.unshift(current);
    const parent = parentOf(current);
    if (parent.equals(current)) break;
    current = parent;
  }
  return missing;
}

/**
 * The first folder below `root` on the way to `raw` that is a symbolic link (or not a folder), or
 * null. The kernel follows a link in the middle of a path, so a step through one would act
 * outside the space (and a link to another file system would fool the cross-device guard): such
 * steps are refused. Folders that do not exist yet are this run's to create. With `plain`, a
 * folder walked once in a batch is re-checked by its own lstat (see PlainFolders).
 */
export function linkOnTheWay(raw: Buffer, root: Buffer, plain?: PlainFolders): Buffer | null {
  if (!(raw.length > root.length && raw.subarray(0, root.length).equals(root) && raw[root.length] === 0x2f)) return raw;
  const parent = parentOf(raw);
  if (plain?.holds(parent)) return null;
  let last: BigStats | null = null;
  for (let end = raw.indexOf(0x2f, root.length + 1); end !== -1; end = raw.indexOf(0x2f, end + 1)) {
    const folder = raw.subarray(0, end);
    last = lstatOrNull(folder);
    if (!last) return null;
    if (!last.isDirectory()) return folder;
  }
  if (last) plain?.remember(parent, last);
  return null;
}

/**
 * Folders a batch found to be reached through plain folders only, walked from the space root,
 * with the identity (device, inode) they had then. A later step of the batch re-checks such a
 * folder by one lstat of its path: the kernel resolves every folder on the way, and a folder that
 * a link now stands in front of resolves to another inode (folders have no second hard link). What
 * that lstat cannot see (a folder higher up moved aside and a link to its new place put where it
 * was) the next batch's walk does: the cache lives for one batch of at most 512 moves.
 */
export class PlainFolders {
  private readonly known = new Map<string, { dev: bigint; ino: bigint }>();

  holds(dir: Buffer): boolean {
    const known = this.known.get(dir.toString('latin1'));
    if (!known) return false;
    const stat = lstatOrNull(dir);
    return stat !== null && stat.isDirectory() && stat.dev === known.dev && stat.ino === known.ino;
  }

  remember(dir: Buffer, stat: BigStats): void {
    this.known.set(dir.toString('latin1'), { dev: stat.dev, ino: stat.ino });
  }

  clear(): void {
    this.known.clear();
  }
}

/** The device of the nearest existing folder on the way to `dir`: where a new file there would live. */
export function deviceOf(dir: Buffer): bigint {
  let current = dir;
  for (;;) {
    const stat = lstatOrNull(current);
    if (stat) return stat.dev;
    current = parentOf(current);
  }
}

/**
 * Creates `folders` in order, each fsynced into its parent — or, with `fsyncLater`, its parent
 * handed over to be fsynced with the rest of a batch before anything relies on it. `durable` holds
 * folders already made durable (or handed over) by this process, which need no second fsync
 * (steps of a batch often share new folders).
 */
export function createFolders(folders: Buffer[], durable?: Set<string>, fsyncLater?: (parent: Buffer) => void): void {
  for (const folder of folders) {
    const key = folder.toString('latin1');
    try {
      fs.mkdirSync(folder, 0o755);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (durable?.has(key)) continue;
    }
    if (fsyncLater) fsyncLater(parentOf(folder));
    else fsyncDirectory(parentOf(folder));
    durable?.add(key);
  }
}

/** mtime comparisons allow 1 µs: JSON numbers and utimes() carry nanoseconds as doubles. */
export function sameMtime(a: bigint, b: bigint): boolean {
  const delta = a - b;
  return delta < 1000n && delta > -1000n;
}

/** Hashes a file on the hash workers (ContentChecker.hash): null when it changed while read. */
export type HashOf = (path: Buffer, stat: BigStats) => Promise<string | null>;

export interface CopyResult {
  /** Hash of the temp file read back after fsync (the caller compares it with the plan). */
  writtenHash: string;
  bytes: number;
  notPreserved: string[];
}

/** Bytes a copy moves per read and write (up to 64 copies are in flight at once). */
const copyChunk = 512 * 1024;

/**
 * Copies `from` to the new file `tmp` through this process (read, write), carries over mode,
 * owner, mtime and extended attributes (naming any it could not), reads the copy back to hash it
 * (on the hash workers), and fsyncs it. Asynchronous so several copies can be in flight on libuv's
 * threads.
 *
 * Not copy_file_range() (what fs.copyFile uses) nor FICLONE: on btrfs and XFS those share the
 * source's blocks (a reflink), and a copy made to be a second, independent copy of the data must
 * not be one damaged block away from the original.
 *
 * `tmp` is created here, exclusively, then opened again with O_TRUNC for the data, as cp does. On
 * ext4 (auto_da_alloc, the default) that truncate makes the writer's close start writeback at once,
 * so the data goes to disk while the next files copy and the fsync finds little left to do.
 */
export async function copyVerified(
  from: Buffer,
  tmp: Buffer,
  hash: HashOf,
  onBytes: (bytes: number) => void,
  onCreated?: (created: BigStats) => void,
): Promise<CopyResult> {
  const target = await fs.promises.open(tmp, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  try {
    onCreated?.(fs.fstatSync(target.fd, { bigint: true }));
    const source = await fs.promises.open(from, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    let notPreserved: string[];
    try {
      await copyBytes(source, tmp);
      notPreserved = preserveMetadata(source.fd, target.fd, fs.fstatSync(source.fd, { bigint: true }));
    } finally {
      await source.close();
    }
    // Read back on the hash workers while libuv's threads copy the next files.
    const written = fs.fstatSync(target.fd, { bigint: true });
    const bytes = Number(written.size);
    const writtenHash = await hash(tmp, written);
    if (writtenHash === null) throw Object.assign(new Error(`${tmp.toString()} changed while it was read back`), { code: 'EVERIFY' });
    await target.sync();
    onBytes(bytes);
    return { writtenHash, bytes, notPreserved };
  } finally {
    await target.close();
  }
}

async function copyBytes(source: fs.promises.FileHandle, tmp: Buffer): Promise<void> {
  const writer = await fs.promises.open(tmp, fs.constants.O_WRONLY | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW);
  try {
    const buffer = Buffer.allocUnsafe(copyChunk);
    for (let position = 0; ; ) {
      const { bytesRead } = await source.read(buffer, 0, copyChunk, position);
      if (bytesRead === 0) break;
      for (let written = 0; written < bytesRead; ) {
        written += (await writer.write(buffer, written, bytesRead - written, position + written)).bytesWritten;
      }
      position += bytesRead;
    }
  } finally {
    await writer.close();
  }
}

/**
 * Owner first, then mode: a chown clears the setuid and setgid bits, so in the other order they
 * were dropped without a word. Whatever of the mode did not hold is named.
 */
function preserveMetadata(sourceFd: number, fd: number, stat: BigStats): string[] {
  const lost: string[] = [];
  const mode = stat.mode & 0o7777n;
  try {
    fs.fchownSync(fd, Number(stat.uid), Number(stat.gid));
  } catch {
    lost.push('owner');
  }
  try {
    fs.fchmodSync(fd, Number(mode));
  } catch {
    // Checked below.
  }
  const kept = fs.fstatSync(fd, { bigint: true }).mode & 0o7777n;
  if ((mode & 0o6000n) !== (kept & 0o6000n)) lost.push('setuid-setgid');
  if ((mode & 0o1777n) !== (kept & 0o1777n)) lost.push('mode');
  // Through /proc/self/fd the attribute calls reach names that are not valid UTF-8 as well.
  const source = `/proc/self/fd/${sourceFd}`;
  const target = `/proc/self/fd/${fd}`;
  try {
    for (const name of xattr.listAttributesSync(source)) {
      const value = xattr.getAttributeSync(source, name);
      if (value) xattr.setAttributeSync(target, name, value);
    }
  } catch {
    lost.push('xattrs');
  }
  const toTime = (ns: bigint): number => Number(ns / 1000n) / 1e6;
  fs.futimesSync(fd, toTime(stat.atimeNs), toTime(stat.mtimeNs));
  if (fs.fstatSync(fd, { bigint: true }).mtimeNs !== stat.mtimeNs) lost.push('mtime-nanoseconds');
  return lost;
}
