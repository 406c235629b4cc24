/** Origin inventory entries (the latest inventory of each source), streamed. */
import type { Db } from '../db/index.ts';
import { attributeNames, isCloudOnly } from '../inventory/index.ts';
import type { EntryRow } from './catalog.ts';
import type { OriginVersion } from './evidence.ts';

export interface OriginRow {
  id: bigint;
  sourceId: string;
  relPath: string;
  originPath: string;
  nfcKey: string;
  foldKey: string;
  size: bigint;
  mtimeNs: bigint | null;
  xxh128: string | null;
  sha1: string | null;
  md5: string | null;
  quickxor: string | null;
  /** Windows attributes from a version 2 manifest (cloud-only placeholders), else null. */
  attrs: bigint | null;
  /** Why the origin could not read the entry (version 2 manifests), else null. */
  errorCode: string | null;
}

const columns = 'o.id, o.sourceId, o.relPath, o.originPath, o.nfcKey, o.foldKey, o.size, o.mtimeNs, o.xxh128, o.sha1, o.md5, o.quickxor, o.attrs, o.errorCode';
const latest = 'o.isDir = 0 AND o.inventoryId IN (SELECT MAX(id) FROM Inventory GROUP BY sourceId)';

export function* originEntries(db: Db): Generator<OriginRow> {
  const statement = db.prepare(`SELECT ${columns} FROM OriginEntry o WHERE ${latest} ORDER BY o.sourceId, o.relPath`).safeIntegers(true);
  yield* statement.iterate() as IterableIterator<OriginRow>;
}

const hashed = '(o.xxh128 IS NOT NULL OR o.sha1 IS NOT NULL OR o.md5 IS NOT NULL OR o.quickxor IS NOT NULL)';

/** How many of those entries carry a hash (each may send classification to read its counterpart). */
export function countHashedOriginEntries(db: Db): number {
  return Number(db.prepare(`SELECT COUNT(*) FROM OriginEntry o WHERE ${latest} AND ${hashed}`).pluck().get());
}

/** Origin entries by id, through one prepared statement. */
export function originEntryById(db: Db): (id: bigint) => OriginRow | undefined {
  const statement = db.prepare(`SELECT ${columns} FROM OriginEntry o WHERE o.id = ?`).safeIntegers(true);
  return (id) => statement.get(id) as OriginRow | undefined;
}

/**
 * A hashed origin entry (its id, size and hashes) with the catalog entry at its path in its own
 * source — the first place `counterpart` looks — in the entry's columns; relPath null when none.
 */
export type HashedOriginRow = Pick<OriginRow, 'sourceId' | 'xxh128' | 'sha1' | 'md5' | 'quickxor'> & { originId: bigint; originSize: bigint } & (
    | Pick<EntryRow, 'relPath' | 'type' | 'size' | 'mtimeNs' | 'dev' | 'ino' | 'fullHash' | 'errorCode'>
    | { relPath: null }
  );

/** The hashed entries of the latest inventories with their own source's entry at the same path: one join, not a lookup each. */
export function* hashedOriginEntries(db: Db): Generator<HashedOriginRow> {
  const statement = db
    .prepare(
      `SELECT o.id AS originId, o.size AS originSize, o.sourceId, o.xxh128, o.sha1, o.md5, o.quickxor,
              e.relPath, e.type, e.size, e.mtimeNs, e.dev, e.ino, e.fullHash, e.errorCode
         FROM OriginEntry o LEFT JOIN Entry e ON e.sourceId = o.sourceId AND e.relPath = CAST(o.relPath AS BLOB) AND e.removedScanId IS NULL
        WHERE ${latest} AND ${hashed}`,
    )
    .safeIntegers(true);
  yield* statement.iterate() as IterableIterator<HashedOriginRow>;
}

/** Origin entries of different sources that land on the same space path, grouped by that path. */
export function* overlappingOriginEntries(db: Db): Generator<OriginRow[]> {
  const statement = db
    .prepare(
      `WITH landed AS (
         SELECT ${columns}, s.landing || '/' || o.nfcKey AS landingKey
           FROM OriginEntry o JOIN Source s ON s.id = o.sourceId WHERE ${latest})
       SELECT * FROM landed
        WHERE landingKey IN (SELECT landingKey FROM landed GROUP BY landingKey HAVING COUNT(DISTINCT sourceId) > 1)
        ORDER BY landingKey, sourceId`,
    )
    .safeIntegers(true);
  let group: (OriginRow & { landingKey: string })[] = [];
  for (const row of statement.iterate() as IterableIterator<OriginRow & { landingKey: string }>) {
    if (group.length > 0 && group[0]!.landingKey !== row.landingKey) {
      yield group;
      group = [];
    }
    group.push(row);
  }
  if (group.length > 0) yield group;
}

/** Content identity of an origin entry for comparison with another: the strongest shared hash. */
export function sameOriginContent(a: OriginRow, b: OriginRow): boolean | null {
  if (a.size !== b.size) return false;
  for (const kind of ['xxh128', 'sha1', 'md5', 'quickxor'] as const) {
    const left = a[kind];
    const right = b[kind];
    if (left && right) return left.toLowerCase() === right.toLowerCase();
  }
  return null;
}

export function originVersion(row: OriginRow): OriginVersion {
  return {
    source: row.sourceId,
    originPath: row.originPath,
    size: Number(row.size),
    mtimeNs: row.mtimeNs === null ? null : row.mtimeNs.toString(),
    hash: row.xxh128 ?? row.sha1 ?? row.md5 ?? row.quickxor ?? null,
    hashKind: row.xxh128 ? 'xxh128' : row.sha1 ? 'sha1' : row.md5 ? 'md5' : row.quickxor ? 'quickxor' : null,
    ...(row.attrs !== null ? { attrs: attributeNames(Number(row.attrs)) } : {}),
    ...(row.errorCode !== null ? { errorCode: row.errorCode } : {}),
  };
}

/**
 * Whether the origin held only a cloud placeholder of the file: Windows attributes of a OneDrive
 * Files-On-Demand file, or a read the Mac refused with EDEADLK (a dataless file its provider could
 * not fetch). A copy made from it without downloading has no content.
 */
export function cloudOnlyAtOrigin(row: Pick<OriginRow, 'attrs' | 'errorCode'>): boolean {
  return isCloudOnly(row.attrs === null ? null : Number(row.attrs)) || row.errorCode === 'EDEADLK';
}

/** Folders the origin could not list (version 2 manifests): what they hold is unknown. */
export function* unlistedOriginFolders(db: Db): Generator<Pick<OriginRow, 'sourceId' | 'relPath' | 'originPath' | 'errorCode'>> {
  const statement = db.prepare(
    `SELECT o.sourceId, o.relPath, o.originPath, o.errorCode FROM OriginEntry o
      WHERE o.isDir = 1 AND o.errorCode IS NOT NULL AND o.inventoryId IN (SELECT MAX(id) FROM Inventory GROUP BY sourceId)
      ORDER BY o.sourceId, o.relPath`,
  );
  yield* statement.iterate() as IterableIterator<Pick<OriginRow, 'sourceId' | 'relPath' | 'originPath' | 'errorCode'>>;
}
