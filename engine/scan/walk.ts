/**
 * The tree walk: depth-first, one directory listing held per level (memory bounded by depth,
 * not tree size), raw name bytes throughout, lstat only — symlinks are recorded, never followed.
 */
import fs from 'node:fs';
import path from 'node:path';

export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

/** The lstat fields the catalog keeps (plain values, so entries can cross threads). */
export interface EntryStat {
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  birthtimeNs: bigint;
  mode: bigint;
  uid: bigint;
  gid: bigint;
  dev: bigint;
  ino: bigint;
  nlink: bigint;
}

export interface WalkedEntry {
  /** Raw bytes relative to the walk root, '/'-separated. */
  relPath: Buffer;
  absPath: Buffer;
  type: EntryType;
  stat: EntryStat;
  linkTarget?: Buffer;
  xattrs?: string[] | null;
  errorCode?: string;
  errorMessage?: string;
  skipReason?: string;
  /** Hashes of a file read during the walk (a first `scan --full`). */
  content?: ContentHashes;
}

export interface ContentHashes {
  head?: string;
  tail?: string;
  full?: string;
  bytesRead: number;
}

export interface WalkProblem {
  relPath: Buffer;
  code: string;
  message: string;
}

export interface WalkHooks {
  /** Called between a directory listing and the lstat of one of its names (tests make files vanish here). */
  beforeStat?(absPath: Buffer): void;
}

export interface WalkOptions {
  /** Links resolving outside this folder are marked `symlink-outside-space`. */
  boundary: string;
  /** Read extended-attribute names of files and folders during the walk (all entries are new). */
  readXattrs?(absPath: Buffer): string[] | null;
  hooks?: WalkHooks;
  /** Names that vanished between listing and lstat are reported here and not yielded. */
  onVanished?(problem: WalkProblem): void;
  /** This walker's share when several walk one tree together (see `owns`). */
  share?: WalkShare;
  /** Reads and hashes each file this walker yields (see walk-content.ts). */
  readContent?(entry: WalkedEntry): void;
}

/**
 * Several walkers split a tree: each yields the entries directly below the root whose name hashes
 * to it, enters every folder there, and below them takes (and enters) only the entries whose
 * relative path hashes to it. Every entry is yielded by exactly one walker; a tree with many
 * second-level folders spreads evenly.
 */
export interface WalkShare {
  index: number;
  count: number;
}

function owns(share: WalkShare, relPath: Buffer): boolean {
  let hash = 0x811c9dc5; // FNV-1a
  for (const byte of relPath) hash = Math.imul(hash ^ byte, 0x01000193);
  return (hash >>> 0) % share.count === share.index;
}

const SLASH = Buffer.from('/');

interface Ancestor {
  dev: bigint;
  ino: bigint;
  parent?: Ancestor;
}

/** Yields every entry below `root` (the root itself is not yielded). */
export function* walk(root: string, options: WalkOptions): Generator<WalkedEntry> {
  const rootBuffer = Buffer.from(root);
  const rootStat = fs.statSync(rootBuffer, { bigint: true });
  yield* walkDir(rootBuffer, Buffer.alloc(0), { dev: rootStat.dev, ino: rootStat.ino }, options, 1);
}

/** The listing of one directory; errors are the caller's to record. */
export function listDir(absPath: Buffer): Buffer[] {
  return fs.readdirSync(absPath, { encoding: 'buffer' });
}

function* walkDir(absDir: Buffer, relDir: Buffer, ancestors: Ancestor, options: WalkOptions, depth: number): Generator<WalkedEntry> {
  const names = listDir(absDir);
  const share = depth <= 2 ? options.share : undefined;
  for (const name of names) {
    const relPath = relDir.length === 0 ? name : Buffer.concat([relDir, SLASH, name]);
    // Below the root's folders, another walker's entries are not even looked at.
    const mine = !share || owns(share, relPath);
    if (!mine && depth === 2) continue;
    const absPath = Buffer.concat([absDir, SLASH, name]);
    options.hooks?.beforeStat?.(absPath);
    let stat: fs.BigIntStats | undefined;
    try {
      stat = fs.lstatSync(absPath, { bigint: true, throwIfNoEntry: false });
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      if (mine) options.onVanished?.({ relPath, code: err.code ?? 'EIO', message: err.message });
      continue;
    }
    if (!stat) {
      if (mine) options.onVanished?.({ relPath, code: 'ENOENT', message: 'vanished between listing and lstat' });
      continue;
    }
    const entry: WalkedEntry = { relPath, absPath, type: typeOf(stat), stat: statFields(stat) };
    if (entry.type === 'other') entry.skipReason = otherReason(stat);
    if (entry.type === 'symlink') describeLink(entry, options.boundary);
    if (mine && options.readXattrs && (entry.type === 'file' || entry.type === 'dir')) entry.xattrs = options.readXattrs(absPath);
    if (entry.type !== 'dir') {
      if (!mine) continue;
      options.readContent?.(entry);
      yield entry;
      continue;
    }
    if (isAncestor(ancestors, stat)) {
      // A bind mount or a hard-linked directory can make the tree cyclic.
      entry.skipReason = 'loop';
      if (mine) yield entry;
      continue;
    }
    const children = walkDir(absPath, relPath, { dev: stat.dev, ino: stat.ino, parent: ancestors }, options, depth + 1);
    let first: IteratorResult<WalkedEntry>;
    try {
      first = children.next(); // lists the folder now, so a listing error is recorded on its entry
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      if (err.syscall !== 'scandir' || !err.code) throw error;
      entry.errorCode = err.code;
      entry.errorMessage = `cannot list folder: ${err.message}`;
      if (mine) yield entry;
      continue;
    }
    if (mine) yield entry;
    if (!first.done) {
      yield first.value;
      yield* children;
    }
  }
}

function statFields(s: fs.BigIntStats): EntryStat {
  return {
    size: s.size,
    mtimeNs: s.mtimeNs,
    ctimeNs: s.ctimeNs,
    birthtimeNs: s.birthtimeNs,
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    dev: s.dev,
    ino: s.ino,
    nlink: s.nlink,
  };
}

function typeOf(stat: fs.BigIntStats): EntryType {
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'dir';
  if (stat.isSymbolicLink()) return 'symlink';
  return 'other';
}

function otherReason(stat: fs.BigIntStats): string {
  if (stat.isFIFO()) return 'fifo';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice()) return 'char-device';
  if (stat.isBlockDevice()) return 'block-device';
  return 'unknown-type';
}

function isAncestor(ancestors: Ancestor | undefined, stat: fs.BigIntStats): boolean {
  for (let node = ancestors; node; node = node.parent) if (node.dev === stat.dev && node.ino === stat.ino) return true;
  return false;
}

/** Records the link target and whether it points at one of its own ancestors or out of the boundary. */
function describeLink(entry: WalkedEntry, boundary: string): void {
  try {
    entry.linkTarget = fs.readlinkSync(entry.absPath, { encoding: 'buffer' });
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    entry.skipReason = 'symlink';
    entry.errorCode = err.code ?? 'EIO';
    entry.errorMessage = err.message;
    return;
  }
  // latin1 maps bytes 1:1 to code units, so lexical path logic works on any name bytes.
  const linkPath = entry.absPath.toString('latin1');
  const target = path.posix.resolve(path.posix.dirname(linkPath), entry.linkTarget.toString('latin1'));
  const base = Buffer.from(boundary).toString('latin1');
  if (linkPath === target || linkPath.startsWith(`${target}/`)) entry.skipReason = 'symlink-loop';
  else if (target !== base && !target.startsWith(`${base}/`)) entry.skipReason = 'symlink-outside-space';
  else entry.skipReason = 'symlink';
}
