/**
 * A first `scan --full` reads every file where it is walked: each walker thread hashes the files of
 * its share right after their lstat, and the rows are inserted with their hashes. Nothing is
 * handed to the hash pool and no row is written twice (saving hashes into rows the walk just
 * inserted cost the main thread as much as the inserts). Rescans keep the pool: unchanged files
 * are read there and their hashes compared (the integrity audit).
 * Files with several hard links are left to the stages after the walk, which read an inode once.
 */
import { ContentHasher, EMPTY_XXH128 } from '../hash/index.ts';
import { readableByMode } from './inspect.ts';
import type { WalkedEntry } from './walk.ts';

/** Reads and hashes a walked file in place: sets `content`, or the error that stopped the read. */
export type ContentReader = (entry: WalkedEntry) => void;

export function contentReader(beforeRead?: (paths: Uint8Array[]) => void): ContentReader {
  const hasher = new ContentHasher();
  return (entry) => {
    const s = entry.stat;
    // Unreadable by mode: recorded by the writer's inspection, as for any scan.
    if (entry.type !== 'file' || entry.errorCode || entry.skipReason || s.nlink > 1n || !readableByMode(entry)) return;
    if (s.size === 0n) {
      entry.content = { full: EMPTY_XXH128, bytesRead: 0 };
      return;
    }
    beforeRead?.([entry.absPath]);
    const result = hasher.run({ id: 0, path: entry.absPath, kind: 'full', size: s.size, dev: s.dev, ino: s.ino });
    if (result.errorCode) {
      entry.errorCode = result.errorCode;
      entry.errorMessage = result.errorMessage ?? result.errorCode;
      return;
    }
    entry.content = { head: result.head, tail: result.tail, full: result.full, bytesRead: result.bytesRead };
  };
}
