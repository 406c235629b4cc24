/**
 * Writes walk results into the catalog: a point lookup per entry, and a write only when the entry
 * is new or changed. Unchanged entries are remembered in a temporary table so the ones no longer
 * present can be marked removed afterwards.
 */
import type { Db } from '../db/index.ts';
import type { WalkedEntry } from './walk.ts';

interface StoredEntry {
  id: bigint;
  type: string;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  dev: bigint;
  ino: bigint;
  headHash: string | null;
  fullHash: string | null;
  errorCode: string | null;
  skipReason: string | null;
  removedScanId: bigint | null;
}

export type WriteOutcome = 'added' | 'changed' | 'racy' | 'unchanged';

/** Work done only for new and changed entries (it costs syscalls an unchanged entry should not pay). */
export type Inspect = (entry: WalkedEntry) => void;

export class CatalogWriter {
  private readonly lookup;
  private readonly insert;
  private readonly update;
  private readonly markSeen;
  private readonly seenTable: string;

  constructor(
    private readonly db: Db,
    private readonly scanId: number,
    private readonly sourceId: string,
    /** Start of the source's previous scan: entries modified at or after it may have been hashed mid-write. */
    private readonly racyFromNs: bigint | undefined,
  ) {
    this.seenTable = `scan_seen_${scanId}`;
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${this.seenTable} (id INTEGER PRIMARY KEY)`);
    db.exec(`DELETE FROM ${this.seenTable}`);
    this.lookup = db
      .prepare(
        `SELECT id, type, size, mtimeNs, ctimeNs, dev, ino, headHash, fullHash, errorCode, skipReason, removedScanId
         FROM Entry WHERE sourceId = ? AND relPath = ?`,
      )
      .safeIntegers(true);
    const columns = `path, parent, name, nfcKey, foldKey, type, size, mtimeNs, ctimeNs, birthtimeNs, mode, uid, gid, dev, ino,
      nlink, xattrsJson, linkTarget, errorCode, errorMessage, skipReason`;
    this.insert = db.prepare(
      `INSERT INTO Entry (sourceId, relPath, ${columns}, firstScanId, lastScanId)
       VALUES (@sourceId, @relPath, @path, @parent, @name, @nfcKey, @foldKey, @type, @size, @mtimeNs, @ctimeNs, @birthtimeNs,
         @mode, @uid, @gid, @dev, @ino, @nlink, @xattrsJson, @linkTarget, @errorCode, @errorMessage, @skipReason, @scanId, @scanId)
       RETURNING id`,
    );
    this.update = db.prepare(
      `UPDATE Entry SET path=@path, parent=@parent, name=@name, nfcKey=@nfcKey, foldKey=@foldKey, type=@type, size=@size,
         mtimeNs=@mtimeNs, ctimeNs=@ctimeNs, birthtimeNs=@birthtimeNs, mode=@mode, uid=@uid, gid=@gid, dev=@dev, ino=@ino,
         nlink=@nlink, xattrsJson=@xattrsJson, linkTarget=@linkTarget, errorCode=@errorCode, errorMessage=@errorMessage,
         skipReason=@skipReason, headHash=NULL, tailHash=NULL, fullHash=NULL, lastScanId=@scanId, removedScanId=NULL
       WHERE id=@id`,
    );
    this.markSeen = db.prepare(`INSERT OR IGNORE INTO ${this.seenTable} (id) VALUES (?)`);
  }

  /** Records one walked entry; the caller wraps calls in a transaction. */
  write(entry: WalkedEntry, inspect: Inspect): WriteOutcome {
    const stored = this.lookup.get(this.sourceId, entry.relPath) as StoredEntry | undefined;
    if (stored && stored.removedScanId === null && stored.errorCode === null && !entry.errorCode && sameIdentity(stored, entry)) {
      const racy = this.racyFromNs !== undefined && stored.mtimeNs >= this.racyFromNs && (stored.headHash !== null || stored.fullHash !== null);
      this.markSeen.run(stored.id);
      if (!racy) return 'unchanged';
      this.update.run(this.row(entry, { id: stored.id }));
      return 'racy';
    }
    inspect(entry);
    if (stored) {
      this.update.run(this.row(entry, { id: stored.id }));
      this.markSeen.run(stored.id);
      return stored.removedScanId === null ? 'changed' : 'added';
    }
    const { id } = this.insert.get(this.row(entry, { sourceId: this.sourceId, relPath: entry.relPath })) as { id: number };
    this.markSeen.run(id);
    return 'added';
  }

  /** Marks every entry of the source this scan did not see as removed; returns how many. */
  markRemoved(): number {
    const result = this.db
      .prepare(
        `UPDATE Entry SET removedScanId = ?, lastScanId = ?
         WHERE sourceId = ? AND removedScanId IS NULL AND id NOT IN (SELECT id FROM ${this.seenTable})`,
      )
      .run(this.scanId, this.scanId, this.sourceId);
    this.db.exec(`DROP TABLE IF EXISTS ${this.seenTable}`);
    return result.changes;
  }

  private row(entry: WalkedEntry, extra: Record<string, unknown>): Record<string, unknown> {
    const s = entry.stat;
    const display = entry.relPath.toString('utf8');
    const slash = display.lastIndexOf('/');
    const nfcKey = display.normalize('NFC');
    return {
      ...extra,
      scanId: this.scanId,
      path: display,
      parent: slash < 0 ? '' : display.slice(0, slash),
      name: slash < 0 ? display : display.slice(slash + 1),
      nfcKey,
      foldKey: nfcKey.toLowerCase().normalize('NFC'),
      type: entry.type,
      size: entry.type === 'file' ? s.size : 0n,
      mtimeNs: s.mtimeNs,
      ctimeNs: s.ctimeNs,
      birthtimeNs: s.birthtimeNs > 0n ? s.birthtimeNs : null,
      mode: Number(s.mode),
      uid: Number(s.uid),
      gid: Number(s.gid),
      dev: s.dev,
      ino: s.ino,
      nlink: Number(s.nlink),
      xattrsJson: entry.xattrs ? JSON.stringify(entry.xattrs) : null,
      linkTarget: entry.linkTarget ?? null,
      errorCode: entry.errorCode ?? null,
      errorMessage: entry.errorMessage ?? null,
      skipReason: entry.skipReason ?? null,
    };
  }
}

function sameIdentity(stored: StoredEntry, entry: WalkedEntry): boolean {
  const s = entry.stat;
  return (
    stored.type === entry.type &&
    stored.dev === s.dev &&
    stored.ino === s.ino &&
    stored.size === (entry.type === 'file' ? s.size : 0n) &&
    stored.mtimeNs === s.mtimeNs &&
    stored.ctimeNs === s.ctimeNs &&
    stored.skipReason === (entry.skipReason ?? null)
  );
}
