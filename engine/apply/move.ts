/**
 * Moving a file without ever replacing one. Node has no renameat2(RENAME_NOREPLACE), so a move is
 * two steps: link() the new name — which fails with EEXIST when the name is taken, even by a file
 * created a moment ago — then drop the old name. A crash between the steps leaves both names on
 * one inode, which `moveState` recognises and `finishMove` completes; nothing is lost.
 *
 * Where the file system has no hard links (EPERM, ENOTSUP, EMLINK) or the names sit on different
 * mounts of one file system (EXDEV: a bind mount inside the space), the content is copied to the
 * new name created exclusively (O_EXCL), fsynced and hashed against the plan before the old name
 * goes. The copy's inode is journaled (`copying`) before any byte is written, so a copy
 * interrupted by a crash is known to be ours: resume removes it and starts over.
 */
import fs from 'node:fs';
import { fsyncDirectory } from '../journal/index.ts';
import { copyVerified, lstatOrNull, type BigStats, type HashOf } from './files.ts';
import { parentOf } from './paths.ts';

/** link() errors that mean "no hard link here", not "something is wrong": the copy fallback takes over. */
const noHardLink = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'EXDEV', 'ENOSYS']);

export interface CopyMarker {
  dev: string;
  ino: string;
}

export type MoveResult =
  | { kind: 'moved'; byCopy: boolean; notPreserved: string[] }
  /** The new name exists: nothing was changed. */
  | { kind: 'taken' }
  /** The copy read back with another hash than `expectHash` (removed again): the caller decides. */
  | { kind: 'mismatch'; writtenHash: string };

export interface MoveOptions {
  /** The content the file must have; null: whatever the copy read back as the old name's. */
  expectHash: string | null;
  /** Journals (durably) that the copy fallback created `to` as this inode, before its data is written. */
  markCopy(marker: CopyMarker): void;
  hash: HashOf;
  onBytes?: (bytes: number) => void;
}

/** Moves `from` to the new name `to`; never replaces an existing `to`. */
export async function moveWithoutReplacing(from: Buffer, to: Buffer, options: MoveOptions): Promise<MoveResult> {
  const first = await linkNewName(from, to, options);
  if (first.kind !== 'linked') return first;
  finishMove(from, to);
  return { kind: 'moved', byCopy: false, notPreserved: [] };
}

/**
 * The first step alone: `to` becomes a second name of `from` (`linked`: nothing durable yet — the
 * caller fsyncs the new name's folder before it drops the old name, as a batch of moves does once
 * per folder), or, where no hard link can be made, the whole move is done by a verified copy.
 */
export async function linkNewName(from: Buffer, to: Buffer, options: MoveOptions): Promise<MoveResult | { kind: 'linked' }> {
  try {
    fs.linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return { kind: 'taken' };
    if (!noHardLink.has(code)) throw error;
    return moveByCopy(from, to, options);
  }
  return { kind: 'linked' };
}

async function moveByCopy(from: Buffer, to: Buffer, options: MoveOptions): Promise<MoveResult> {
  let created = false;
  let copy;
  try {
    copy = await copyVerified(from, to, options.hash, options.onBytes ?? (() => undefined), (stat) => {
      created = true;
      options.markCopy(markerOf(stat));
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && !created) return { kind: 'taken' };
    // Created by this call, exclusively: an unfinished copy of ours, never anyone's data.
    if (created) discardOurCopy(to);
    throw error;
  }
  const source = lstatOrNull(from);
  const wanted = options.expectHash ?? (source ? await options.hash(from, source) : null);
  if (copy.writtenHash !== wanted) {
    // Our own exclusive copy, never anyone's data of record.
    fs.unlinkSync(to);
    fsyncDirectory(parentOf(to));
    return { kind: 'mismatch', writtenHash: copy.writtenHash };
  }
  finishMove(from, to);
  return { kind: 'moved', byCopy: true, notPreserved: copy.notPreserved };
}

/**
 * The second step: `to` (a link of `from`, or a verified copy of it) is made durable under its
 * new name, then the old name is dropped and that folder fsynced.
 */
export function finishMove(from: Buffer, to: Buffer): void {
  fsyncDirectory(parentOf(to));
  fs.unlinkSync(from);
  fsyncDirectory(parentOf(from));
}

export function markerOf(stat: Pick<BigStats, 'dev' | 'ino'>): CopyMarker {
  return { dev: String(stat.dev), ino: String(stat.ino) };
}

export type MoveState =
  | 'not-moved'
  | 'moved'
  /** Both names on one inode: the link landed, dropping the old name did not. */
  | 'half-moved'
  /** `to` is the copy fallback's own file, complete or not (the caller checks its content). */
  | 'our-copy'
  /** Both names exist and are different files, the new one not ours. */
  | 'occupied'
  | { inconsistent: string };

/** Where an interrupted move stands, decided from the file system and the journaled copy marker. */
export function moveState(from: Buffer, to: Buffer, marker: CopyMarker | undefined): MoveState {
  const source = lstatOrNull(from);
  const target = lstatOrNull(to);
  if (source && !target) return 'not-moved';
  if (!source && target) return 'moved';
  if (!source || !target) return { inconsistent: 'source and destination are both gone' };
  if (source.dev === target.dev && source.ino === target.ino) return 'half-moved';
  if (marker && marker.dev === String(target.dev) && marker.ino === String(target.ino)) return 'our-copy';
  return 'occupied';
}

/** Removes the copy fallback's interrupted copy (its inode was journaled before it held any data). */
export function discardOurCopy(to: Buffer): void {
  fs.unlinkSync(to);
  fsyncDirectory(parentOf(to));
}
