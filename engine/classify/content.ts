/**
 * Bounded reads of file content inside the space, for the checks the catalog cannot answer alone
 * (truncated copies, zero-filled tails, stub plists). Paths are raw bytes so odd names still open.
 * Read errors return null: the caller treats the check as unanswered, never as evidence.
 * (Hashing goes through engine/hash, the same reader the scan uses.)
 */
import fs from 'node:fs';
import { readFully } from '../read.ts';

export type FilePath = string | Buffer;

/** How much of each end of a file the comparisons read. */
export const probeBytes = 64 * 1024;

export function readRange(file: FilePath, offset: number, length: number): Buffer | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    return readFully(fd, offset, length);
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function isZeroFilled(buffer: Buffer): boolean {
  for (const byte of buffer) if (byte !== 0) return false;
  return buffer.length > 0;
}

/** True when the last bytes of the file are all zero (an interrupted pre-allocated copy). */
export function hasZeroTail(file: FilePath, size: number, length = 4096): boolean | null {
  if (size === 0) return null;
  const tail = readRange(file, Math.max(0, size - length), Math.min(length, size));
  return tail === null ? null : isZeroFilled(tail);
}

/**
 * True when the shorter file's content is a prefix of the longer one: its head and its last bytes
 * equal the longer file's bytes at the same offsets (a truncated copy).
 */
export function isPrefixOf(shortFile: FilePath, shortSize: number, longFile: FilePath): boolean | null {
  const headLength = Math.min(shortSize, probeBytes);
  const tailOffset = Math.max(0, shortSize - probeBytes);
  const shortHead = readRange(shortFile, 0, headLength);
  const longHead = readRange(longFile, 0, headLength);
  const shortTail = readRange(shortFile, tailOffset, shortSize - tailOffset);
  const longTail = readRange(longFile, tailOffset, shortSize - tailOffset);
  if (!shortHead || !longHead || !shortTail || !longTail) return null;
  return shortHead.equals(longHead) && shortTail.equals(longTail);
}
