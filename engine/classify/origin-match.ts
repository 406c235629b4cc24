/**
 * Does the space hold what an origin inventory lists? The one answer every classifier uses. An
 * origin entry is paired with the entry at its path in the source's landing (or in a source whose
 * landing contains it, or the same name in another Unicode normalisation), then confirmed with the
 * strongest evidence both sides give: the inventory's XXH128 (the catalog's, or computed now and
 * kept in the catalog), else its SHA-1, MD5 or QuickXorHash, computed now for that counterpart
 * only; with no hash, size + mtime, which is weaker evidence and marked as such.
 */
import type { DigestKind } from '../hash/index.ts';
import { entryColumns, type CatalogView, type EntryRow } from './catalog.ts';
import type { OriginRow } from './origin-entries.ts';
import type { ClassifyRun } from './run.ts';

export type OriginMatchStatus =
  /** The inventory's hash equals the space file's. */
  | 'hash-match'
  | 'hash-mismatch'
  /** No hash in the inventory: same size and mtime within the origin's clock resolution (weaker evidence). */
  | 'size-mtime-match'
  /** No hash in the inventory: same size, different mtime. */
  | 'size-match'
  /** Different size (truncated copy, placeholder, different version). */
  | 'size-mismatch'
  /** Nothing (or not a file) at that path in the landing. */
  | 'missing'
  /** The space file could not be read (its error, when known, is in evidence). */
  | 'unreadable';

export type OriginHashKind = 'xxh128' | DigestKind;

export interface OriginMatch {
  status: OriginMatchStatus;
  strength: 'strong' | 'weak' | 'none';
  evidence: {
    hashKind?: OriginHashKind;
    expectedHash?: string;
    actualHash?: string;
    expectedSize: number;
    actualSize?: number;
    expectedMtimeNs?: string;
    actualMtimeNs?: string;
    entryType?: string;
    errorCode?: string;
  };
}

/** The space file an origin entry landed as, if any. */
export function counterpart(catalog: CatalogView, origin: OriginRow): EntryRow | undefined {
  const row = catalog.lookup(origin.sourceId, origin.relPath);
  if (row) return row;
  // The name arrived in another Unicode normalisation.
  const relPath = catalog
    .prepared('SELECT e.relPath FROM Entry e WHERE e.sourceId = ? AND e.foldKey = ? AND e.nfcKey = ? AND e.removedScanId IS NULL LIMIT 1')
    .pluck()
    .get(origin.sourceId, origin.foldKey, origin.nfcKey) as Buffer | undefined;
  return relPath ? catalog.lookup(origin.sourceId, relPath.toString()) : undefined;
}

/** Compares an origin entry with its counterpart (from `counterpart`), reading the file only when a hash decides. */
export function matchOrigin(catalog: CatalogView, row: EntryRow | undefined, origin: OriginRow): OriginMatch {
  const match: OriginMatch = {
    status: 'missing',
    strength: 'none',
    evidence: { expectedSize: Number(origin.size), ...(origin.mtimeNs === null ? {} : { expectedMtimeNs: String(origin.mtimeNs) }) },
  };
  if (!row || row.type !== 'file') {
    if (row) match.evidence.entryType = row.type;
    return match;
  }
  match.evidence.actualSize = Number(row.size);
  match.evidence.actualMtimeNs = String(row.mtimeNs);
  if (row.errorCode) return unreadable(match, row.errorCode);
  if (row.size !== origin.size) return { ...match, status: 'size-mismatch', strength: 'strong' };
  const wanted = preferredHash(origin);
  if (!wanted) return { ...match, status: sameMtime(row, origin) ? 'size-mtime-match' : 'size-match', strength: 'weak' };
  match.evidence.hashKind = wanted.kind;
  match.evidence.expectedHash = wanted.value;
  const actual = wanted.kind === 'xxh128' ? catalog.contentHash(row) : catalog.hash(row, wanted.kind);
  if (actual === null) return unreadable(match, catalog.readError(row));
  // A full XXH128 computed here is as good as the scan's: the catalog keeps it for the next run.
  if (wanted.kind === 'xxh128') catalog.keepHash(row);
  match.evidence.actualHash = actual;
  return { ...match, status: actual === wanted.value ? 'hash-match' : 'hash-mismatch', strength: 'strong' };
}

/** Same mtime as far as the origin's clock resolution allows (FAT and some manifests keep 2 s). */
export function sameMtime(row: Pick<EntryRow, 'mtimeNs'>, origin: Pick<OriginRow, 'mtimeNs'>): boolean {
  if (origin.mtimeNs === null) return false;
  const delta = row.mtimeNs > origin.mtimeNs ? row.mtimeNs - origin.mtimeNs : origin.mtimeNs - row.mtimeNs;
  return delta < 2_000_000_000n;
}

/** Entries of landings and ad-hoc folders: a file waiting in a recovery folder is fetched, not yet in the space. */
const notRecovery = 'e.sourceId IN (SELECT id FROM Source WHERE recoveryOf IS NULL)';

/**
 * Is this origin entry's content anywhere in the space? By XXH128 through the index; otherwise
 * files of the same size and name, confirmed by the inventory's own hash kind when it has one. A
 * fetched copy an apply run placed (into the conflicts folder, say, which no scan walks) counts.
 */
export function contentInSpace(run: ClassifyRun, origin: OriginRow): boolean {
  return run.recovery.placedAt(origin) || copiesInSpace(run, origin, 1).length > 0;
}

/**
 * Where in the space this origin entry's content is (at most `limit` files, in path order): the
 * files contentInSpace finds it by. With no hash in the inventory, same size and name is all there is.
 */
export function copiesInSpace(run: ClassifyRun, origin: OriginRow, limit: number): EntryRow[] {
  const { catalog } = run;
  const wanted = preferredHash(origin);
  if (wanted?.kind === 'xxh128') {
    return catalog
      .prepared(`SELECT ${entryColumns} FROM Entry e WHERE e.fullHash = ? AND e.removedScanId IS NULL AND e.type = 'file' AND ${notRecovery} ORDER BY e.sourceId, e.relPath LIMIT ?`)
      .safeIntegers(true)
      .all(wanted.value, limit) as EntryRow[];
  }
  const candidates = sameSizeAndName(catalog, origin);
  const copies = wanted ? candidates.filter((row) => catalog.hash(row, wanted.kind) === wanted.value) : candidates;
  return copies.slice(0, limit);
}

/** Readable space files with an origin entry's size and name, wherever they are (contentInSpace's candidates). */
export function sameSizeAndName(catalog: CatalogView, origin: OriginRow, options: { removed?: boolean } = {}): EntryRow[] {
  const name = origin.relPath.slice(origin.relPath.lastIndexOf('/') + 1);
  return catalog.prepared(sameSizeAndNameSql(options)).safeIntegers(true).all(origin.size, name) as EntryRow[];
}

/**
 * The query behind sameSizeAndName (size, then name): a seek in the (name, size, type) index. It
 * runs for many origin entries, and the files of one size alone grow with the catalog.
 */
export function sameSizeAndNameSql(options: { removed?: boolean } = {}): string {
  // With `removed`: also entries a later scan no longer found, which an apply run may have moved on.
  const current = options.removed ? '' : 'e.removedScanId IS NULL AND ';
  return `SELECT ${entryColumns} FROM Entry e WHERE ${current}e.type = 'file' AND e.size = ? AND e.name = ? AND e.errorCode IS NULL AND ${notRecovery} ORDER BY e.sourceId, e.relPath`;
}

/**
 * The inventory's strongest hash: XXH128 (the catalog's own kind), then the cryptographic SHA-1
 * and MD5, then OneDrive's QuickXorHash (an XOR-and-shift sum, easier to collide).
 */
export function preferredHash(origin: Pick<OriginRow, 'xxh128' | 'sha1' | 'md5' | 'quickxor'>): { kind: 'xxh128'; value: string } | { kind: DigestKind; value: string } | undefined {
  if (origin.xxh128) return { kind: 'xxh128', value: origin.xxh128.toLowerCase() };
  for (const kind of ['sha1', 'md5', 'quickxor'] as const) {
    const value = origin[kind];
    if (value) return { kind, value: value.toLowerCase() };
  }
  return undefined;
}

function unreadable(match: OriginMatch, errorCode: string | undefined): OriginMatch {
  return { ...match, status: 'unreadable', strength: 'none', evidence: { ...match.evidence, ...(errorCode ? { errorCode } : {}) } };
}
