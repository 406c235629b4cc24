/**
 * Writes walk results into the catalog: a point lookup per entry, and a write only when the entry
 * is new or changed. Unchanged entries are remembered (ids in memory, 8 bytes each) so the ones
 * no longer present can be marked removed afterwards — and when every stored entry was seen,
 * nothing needs checking at all.
 */
import type { Db } from '../db/index.ts';
import type { WalkedEntry } from './walk.ts';

/** The stored row, compared in SQL: no BigInt values cross into JavaScript for unchanged entries. */
export interface StoredComparison {
  id: number;
  /** Present, readable, and (type, dev, inode, size, mtime, ctime, skip reason) unchanged. */
  same: 0 | 1;
  /** Carries a hash and was modified at or after the previous scan's start. */
  racy: 0 | 1;
  removed: 0 | 1;
  fullHash: string | null;
}

export type WriteOutcome = 'added' | 'changed' | 'racy' | 'unchanged';

export interface Written {
  outcome: WriteOutcome;
  /** The entry's row. */
  id: number;
  /** The full hash an unchanged entry already carries (null for written rows: their old hashes are gone). */
  storedHash: string | null;
}

/** Work done only for new and changed entries (it costs syscalls an unchanged entry should not pay). */
export type Inspect = (entry: WalkedEntry) => void;

/**
 * Compares walked entries with their stored rows, one point lookup each. Used by the writer and,
 * in parallel rescans, by the walk workers on read-only connections of their own.
 */
export class StoredEntries {
  private readonly lookup;

  constructor(
    db: Db,
    private readonly sourceId: string,
    /** Start of the source's previous scan: entries modified at or after it may have been hashed mid-write. */
    private readonly racyFromNs: bigint | undefined,
  ) {
    this.lookup = db.prepare(
      `SELECT id,
         (removedScanId IS NULL AND errorCode IS NULL AND type = ? AND dev = ? AND ino = ? AND size = ?
           AND mtimeNs = ? AND ctimeNs = ? AND skipReason IS ?) AS same,
         (mtimeNs >= ? AND (headHash IS NOT NULL OR fullHash IS NOT NULL)) AS racy,
         (removedScanId IS NOT NULL) AS removed,
         fullHash
       FROM Entry WHERE sourceId = ? AND relPath = ?`,
    );
  }

  /** The stored row compared with the entry, or null when the entry is new. */
  compare(entry: WalkedEntry): StoredComparison | null {
    const s = entry.stat;
    const stored = this.lookup.get(
      entry.type,
      s.dev,
      s.ino,
      entry.type === 'file' ? asInteger(s.size) : 0,
      s.mtimeNs,
      s.ctimeNs,
      entry.skipReason ?? null,
      this.racyFromNs ?? null, // NULL: no previous scan, nothing is racy
      this.sourceId,
      entry.relPath,
    ) as StoredComparison | undefined;
    return stored ?? null;
  }
}

/** An unchanged entry: nothing to write, only to remember as seen. */
export function isUnchanged(entry: WalkedEntry, stored: StoredComparison | null): boolean {
  return stored?.same === 1 && stored.racy === 0 && !entry.errorCode;
}

export class CatalogWriter {
  private readonly stored: StoredEntries;
  private readonly insert;
  private readonly update;
  /** Ids of stored entries seen unchanged by this scan. */
  private seen = new Float64Array(1024);
  private seenCount = 0;
  /** The source has no rows yet: every entry is new, so the per-entry lookup is skipped. */
  readonly firstScan: boolean;

  constructor(
    private readonly db: Db,
    private readonly scanId: number,
    private readonly sourceId: string,
    /** Start of the source's previous scan: entries modified at or after it may have been hashed mid-write. */
    racyFromNs: bigint | undefined,
  ) {
    this.firstScan = db.prepare('SELECT 1 FROM Entry WHERE sourceId = ? LIMIT 1').get(sourceId) === undefined;
    this.stored = new StoredEntries(db, sourceId, racyFromNs);
    // A written row's hashes are those the walk read (a first `--full`), else none until hashed.
    const columns = `path, parent, name, nfcKey, foldKey, type, size, mtimeNs, ctimeNs, birthtimeNs, mode, uid, gid, dev, ino,
      nlink, xattrsJson, linkTarget, errorCode, errorMessage, skipReason, headHash, tailHash, fullHash`;
    // Positional parameters: binding 20+ named values per row costs more than the insert itself.
    this.insert = db.prepare(
      `INSERT INTO Entry (${columns}, sourceId, relPath, firstScanId, lastScanId) VALUES (${'?, '.repeat(27)}?)`,
    );
    this.update = db.prepare(
      `UPDATE Entry SET ${columns
        .split(',')
        .map((column) => `${column.trim()} = ?`)
        .join(', ')}, lastScanId = ?, removedScanId = NULL WHERE id = ?`,
    );
  }

  /**
   * Records one walked entry; the caller wraps calls in a transaction. `compared`: the entry's
   * stored row as a walk worker already looked it up (null: not in the catalog).
   */
  write(entry: WalkedEntry, inspect: Inspect, compared?: StoredComparison | null): Written {
    const stored = this.firstScan ? null : compared !== undefined ? compared : this.stored.compare(entry);
    if (stored && isUnchanged(entry, stored)) {
      this.markSeen(stored.id);
      return { outcome: 'unchanged', id: stored.id, storedHash: stored.fullHash };
    }
    if (stored?.same === 1 && !entry.errorCode) {
      this.update.run(...this.values(entry), this.scanId, stored.id);
      return { outcome: 'racy', id: stored.id, storedHash: null };
    }
    inspect(entry);
    // Written rows carry this scan's id, so only unchanged ones need marking as seen.
    if (stored) {
      this.update.run(...this.values(entry), this.scanId, stored.id);
      return { outcome: stored.removed === 1 ? 'added' : 'changed', id: stored.id, storedHash: null };
    }
    const inserted = this.insert.run(...this.values(entry), this.sourceId, entry.relPath, this.scanId, this.scanId);
    return { outcome: 'added', id: Number(inserted.lastInsertRowid), storedHash: null };
  }

  /** Marks every entry of the source this scan did not see as removed; returns how many. */
  markRemoved(): number {
    const current = this.db
      .prepare('SELECT count(*) FROM Entry WHERE sourceId = ? AND removedScanId IS NULL AND lastScanId <> ?')
      .pluck()
      .get(this.sourceId, this.scanId) as number;
    if (current === this.seenCount) return 0;
    const table = `temp.scan_seen_${this.scanId}`;
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY)`);
    const insert = this.db.prepare(`INSERT OR IGNORE INTO ${table} (id) VALUES (?)`);
    for (let i = 0; i < this.seenCount; i++) insert.run(this.seen[i]);
    const result = this.db
      .prepare(
        `UPDATE Entry SET removedScanId = ?, lastScanId = ?
         WHERE sourceId = ? AND removedScanId IS NULL AND lastScanId <> ? AND id NOT IN (SELECT id FROM ${table})`,
      )
      .run(this.scanId, this.scanId, this.sourceId, this.scanId);
    this.db.exec(`DROP TABLE ${table}`);
    return result.changes;
  }

  /** Remembers entries a walk worker found unchanged. */
  markSeenIds(ids: Float64Array): void {
    for (const id of ids) this.markSeen(id);
  }

  private markSeen(id: number): void {
    if (this.seenCount === this.seen.length) {
      const grown = new Float64Array(this.seen.length * 2);
      grown.set(this.seen);
      this.seen = grown;
    }
    this.seen[this.seenCount++] = id;
  }

  /** Column values in the order of `columns`. */
  private values(entry: WalkedEntry): unknown[] {
    const s = entry.stat;
    const display = entry.relPath.toString('utf8');
    const slash = display.lastIndexOf('/');
    const nfcKey = display.normalize('NFC');
    return [
      display,
      slash < 0 ? '' : display.slice(0, slash),
      slash < 0 ? display : display.slice(slash + 1),
      nfcKey,
      nfcKey.toLowerCase().normalize('NFC'),
      entry.type,
      entry.type === 'file' ? asInteger(s.size) : 0,
      s.mtimeNs,
      s.ctimeNs,
      s.birthtimeNs > 0n ? s.birthtimeNs : null,
      Number(s.mode),
      Number(s.uid),
      Number(s.gid),
      asInteger(s.dev),
      asInteger(s.ino),
      Number(s.nlink),
      entry.xattrs ? JSON.stringify(entry.xattrs) : null,
      entry.linkTarget ?? null,
      entry.errorCode ?? null,
      entry.errorMessage ?? null,
      entry.skipReason ?? null,
      entry.content?.head ?? null,
      entry.content?.tail ?? null,
      entry.content?.full ?? null,
    ];
  }
}

/** Binds as a number when exact: a BigInt parameter costs more to bind, and SQLite stores both alike. */
function asInteger(value: bigint): number | bigint {
  return value <= MAX_SAFE ? Number(value) : value;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
