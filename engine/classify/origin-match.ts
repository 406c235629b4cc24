/** Whether a space file holds an origin entry's content, using the strongest hash both can give. */
import type { EntryRow } from './catalog.ts';
import type { OriginRow } from './origin-entries.ts';
import type { ClassifyRun } from './run.ts';

export interface OriginMatch {
  /** true/false when a hash decided; null when only size (and mtime) could be compared. */
  sameContent: boolean | null;
  hashKind: string | null;
}

export function matchOrigin(run: ClassifyRun, row: EntryRow, origin: OriginRow): OriginMatch {
  if (row.size !== origin.size) return { sameContent: false, hashKind: null };
  if (origin.xxh128) return { sameContent: run.catalog.contentHash(row) === origin.xxh128.toLowerCase(), hashKind: 'xxh128' };
  for (const kind of ['sha1', 'md5', 'quickxor'] as const) {
    const expected = origin[kind];
    if (expected) {
      const actual = run.catalog.hash(row, kind);
      return { sameContent: actual === null ? null : actual === expected.toLowerCase(), hashKind: kind };
    }
  }
  return { sameContent: null, hashKind: null };
}

/** Same mtime as far as the origin's clock resolution allows (FAT and some manifests keep 2 s). */
export function sameMtime(row: EntryRow, origin: OriginRow): boolean {
  if (origin.mtimeNs === null) return false;
  const delta = row.mtimeNs > origin.mtimeNs ? row.mtimeNs - origin.mtimeNs : origin.mtimeNs - row.mtimeNs;
  return delta < 2_000_000_000n;
}

/**
 * Is this origin entry's content anywhere in the space? By XXH128 through the index; otherwise
 * files of the same size and name, confirmed by the inventory's own hash kind when it has one.
 */
export function contentInSpace(run: ClassifyRun, origin: OriginRow): boolean {
  const { catalog } = run;
  if (origin.xxh128) {
    return catalog.prepared('SELECT 1 FROM Entry WHERE fullHash = ? AND removedScanId IS NULL LIMIT 1').get(origin.xxh128.toLowerCase()) !== undefined;
  }
  const name = origin.relPath.slice(origin.relPath.lastIndexOf('/') + 1);
  const candidates = [...catalog.entries("e.type = 'file' AND e.size = ? AND e.name = ? AND e.errorCode IS NULL", origin.size, name)];
  const kind = (['sha1', 'md5', 'quickxor'] as const).find((candidate) => origin[candidate]);
  if (!kind) return candidates.length > 0;
  return candidates.some((row) => catalog.hash(row, kind) === origin[kind]!.toLowerCase());
}
