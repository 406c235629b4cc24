/** corrupt: the same size and mtime as the origin entry, but a different hash. */
import type { EntryRow } from './catalog.ts';
import { sameMtime, type OriginMatch } from './origin-match.ts';
import type { OriginRow } from './origin-entries.ts';

export function isCorrupt(row: EntryRow, origin: OriginRow, match: OriginMatch): boolean {
  return match.status === 'hash-mismatch' && sameMtime(row, origin);
}
