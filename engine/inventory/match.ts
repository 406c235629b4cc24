/**
 * Does the space hold what the origin inventory lists? Each origin file is paired with the entry
 * at the same path (NFC-normalised) in the source's landing, then confirmed with the strongest
 * evidence available: the hash the inventory carries (XXH128 from a manifest; QuickXorHash, SHA-1
 * or MD5 from rclone — computed here for those counterpart files only), else size + mtime, which
 * is weaker evidence and marked as such.
 */
import type { Db } from '../db/index.ts';
import { HashPool, type DigestKind, type HashResult, type HashTask } from '../hash/index.ts';

export type OriginMatchStatus =
  /** The inventory's hash equals the space file's. */
  | 'hash-match'
  | 'hash-mismatch'
  /** No hash in the inventory: same size and mtime within the tolerance (weaker evidence). */
  | 'size-mtime-match'
  /** No hash in the inventory: same size, different mtime. */
  | 'size-match'
  /** Different size (truncated copy, placeholder, different version). */
  | 'size-mismatch'
  /** Nothing (or not a file) at that path in the landing. */
  | 'missing'
  /** The space file could not be read (its error is in evidence). */
  | 'unreadable';

export interface OriginMatch {
  originEntryId: number;
  /** '/'-separated, relative to the origin root and to the source's landing. */
  relPath: string;
  originPath: string;
  entryId: number | null;
  status: OriginMatchStatus;
  strength: 'strong' | 'weak' | 'none';
  evidence: {
    hashKind?: 'xxh128' | DigestKind;
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

export interface MatchOptions {
  /** Default: the source's most recently imported inventory. */
  inventoryId?: number;
  /** mtime tolerance for size + mtime matches (FAT, SMB and some cloud remotes keep 1-2 s). */
  mtimeToleranceNs?: bigint;
  hashWorkers?: number;
}

interface PairRow {
  originEntryId: number;
  relPath: string;
  originPath: string;
  size: bigint;
  mtimeNs: bigint | null;
  xxh128: string | null;
  sha1: string | null;
  md5: string | null;
  quickxor: string | null;
  entryId: bigint | null;
  entryType: string | null;
  entrySize: bigint | null;
  entryMtimeNs: bigint | null;
  fullHash: string | null;
  errorCode: string | null;
  dev: bigint | null;
  ino: bigint | null;
  abs: Buffer | null;
}

/** Returns one match per file of the inventory, in path order. */
export async function matchOriginEntries(db: Db, sourceId: string, options: MatchOptions = {}): Promise<OriginMatch[]> {
  const inventoryId =
    options.inventoryId ??
    (db.prepare('SELECT id FROM Inventory WHERE sourceId = ? ORDER BY importedAt DESC, id DESC LIMIT 1').pluck().get(sourceId) as number | undefined);
  if (inventoryId === undefined) return [];
  const tolerance = options.mtimeToleranceNs ?? 2_000_000_000n;
  const rows = db
    .prepare(
      `SELECT o.id AS originEntryId, o.relPath, o.originPath, o.size, o.mtimeNs, o.xxh128, o.sha1, o.md5, o.quickxor,
         e.id AS entryId, e.type AS entryType, e.size AS entrySize, e.mtimeNs AS entryMtimeNs, e.fullHash, e.errorCode, e.dev, e.ino,
         CASE WHEN e.id IS NULL THEN NULL ELSE CAST(CAST(s.root AS BLOB) || X'2F' || e.relPath AS BLOB) END AS abs
       FROM OriginEntry o
       LEFT JOIN Entry e ON e.sourceId = o.sourceId AND e.nfcKey = o.nfcKey AND e.removedScanId IS NULL
       LEFT JOIN Source s ON s.id = e.sourceId
       WHERE o.inventoryId = ? AND o.isDir = 0
       ORDER BY o.relPath, e.id`,
    )
    .safeIntegers(true)
    .all(inventoryId) as PairRow[];
  const matches: OriginMatch[] = [];
  const tasks: HashTask[] = [];
  const waiting = new Map<number, { match: OriginMatch; kind: 'xxh128' | DigestKind; expected: string }>();
  let previous: number | undefined;
  for (const row of rows) {
    // Two space names can share an NFC key (NFC and NFD twins); the first one is the counterpart.
    if (Number(row.originEntryId) === previous) continue;
    previous = Number(row.originEntryId);
    const match: OriginMatch = {
      originEntryId: Number(row.originEntryId),
      relPath: row.relPath,
      originPath: row.originPath,
      entryId: row.entryId === null ? null : Number(row.entryId),
      status: 'missing',
      strength: 'none',
      evidence: { expectedSize: Number(row.size), ...(row.mtimeNs === null ? {} : { expectedMtimeNs: String(row.mtimeNs) }) },
    };
    matches.push(match);
    if (row.entryId === null || row.entryType !== 'file') {
      if (row.entryType) match.evidence.entryType = row.entryType;
      continue;
    }
    match.evidence.actualSize = Number(row.entrySize);
    match.evidence.actualMtimeNs = String(row.entryMtimeNs);
    if (row.errorCode) {
      match.status = 'unreadable';
      match.evidence.errorCode = row.errorCode;
      continue;
    }
    if (row.entrySize !== row.size) {
      match.status = 'size-mismatch';
      match.strength = 'strong';
      continue;
    }
    const wanted = preferredHash(row);
    if (!wanted) {
      const close = row.mtimeNs !== null && absolute(row.mtimeNs - row.entryMtimeNs!) <= tolerance;
      match.status = close ? 'size-mtime-match' : 'size-match';
      match.strength = 'weak';
      continue;
    }
    match.evidence.hashKind = wanted.kind;
    match.evidence.expectedHash = wanted.value;
    if (wanted.kind === 'xxh128' && row.fullHash) {
      settle(match, row.fullHash);
      continue;
    }
    const id = tasks.length;
    tasks.push({ id, path: row.abs!, kind: wanted.kind === 'xxh128' ? 'full' : wanted.kind, size: row.entrySize!, dev: row.dev!, ino: row.ino! });
    waiting.set(id, { match, kind: wanted.kind, expected: wanted.value });
  }
  if (tasks.length > 0) await computeHashes(db, tasks, waiting, options.hashWorkers);
  return matches;
}

function preferredHash(row: PairRow): { kind: 'xxh128' | DigestKind; value: string } | undefined {
  for (const kind of ['xxh128', 'quickxor', 'sha1', 'md5'] as const) {
    const value = row[kind];
    if (value) return { kind, value };
  }
  return undefined;
}

function settle(match: OriginMatch, actual: string): void {
  match.evidence.actualHash = actual;
  match.status = actual === match.evidence.expectedHash ? 'hash-match' : 'hash-mismatch';
  match.strength = 'strong';
}

function absolute(value: bigint): bigint {
  return value < 0n ? -value : value;
}

async function computeHashes(
  db: Db,
  tasks: HashTask[],
  waiting: Map<number, { match: OriginMatch; kind: 'xxh128' | DigestKind }>,
  workers: number | undefined,
): Promise<void> {
  const pool = new HashPool({ workers });
  // A full XXH128 computed here is as good as the scan's: keep it in the catalog.
  const saveFull = db.prepare(
    `UPDATE Entry SET headHash = coalesce(headHash, ?), tailHash = coalesce(tailHash, ?), fullHash = ? WHERE id = ?`,
  );
  try {
    await pool.run(tasks, (results: HashResult[]) => {
      for (const result of results) {
        const { match, kind } = waiting.get(result.id)!;
        if (result.errorCode) {
          match.status = 'unreadable';
          match.evidence.errorCode = result.errorCode;
          continue;
        }
        if (kind === 'xxh128') {
          saveFull.run(result.head ?? null, result.tail ?? null, result.full!, match.entryId);
          settle(match, result.full!);
        } else settle(match, result.digest!);
      }
    });
  } finally {
    await pool.close();
  }
}
