/**
 * Bulk loading: while the catalog holds no entries at all (a first scan of a new space), the
 * Entry table's indexes are dropped and built once after the walk — one sort per index instead of
 * a B-tree insert per row per index (measured: about twice the insert rate; the unique
 * (sourceId, relPath) index alone halves it, as walk order is not path order). A walk yields each
 * path once, and the unique index, rebuilt, still refuses a duplicate loudly.
 * The migrations stay the source of truth: restoreEntryIndexes() rebuilds whatever index they
 * define and the database lacks, so a scan killed mid-walk is repaired by the next one.
 */
import os from 'node:os';
import type { Db } from '../db/index.ts';
import { listMigrations } from '../db/index.ts';

export function isCatalogEmpty(db: Db): boolean {
  return db.prepare('SELECT 1 FROM Entry LIMIT 1').get() === undefined;
}

export function dropEntryIndexes(db: Db): void {
  const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Entry' AND sql IS NOT NULL`).pluck().all() as string[];
  for (const name of names) db.exec(`DROP INDEX "${name}"`);
}

/**
 * Indexes over hashes: kept off until the first scan's hashing is done too, since the hashes
 * arrive in random order and each one would otherwise be a B-tree insert.
 */
export const HASH_INDEXES = ['Entry_fullHash_idx'];

/** Creates every Entry index the migrations define (net of later drops) that is missing, but those in `except`. */
export function restoreEntryIndexes(db: Db, except: string[] = []): void {
  const defined = new Map<string, string>();
  for (const migration of listMigrations()) {
    for (const statement of migration.sql.split(';')) {
      const created = /CREATE\s+(?:UNIQUE\s+)?INDEX\s+"([^"]+)"\s+ON\s+"Entry"/i.exec(statement);
      if (created) defined.set(created[1]!, statement.trim().replace(/^--.*$/gm, '').trim());
      const dropped = /DROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?"([^"]+)"/i.exec(statement);
      if (dropped) defined.delete(dropped[1]!);
    }
  }
  const present = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Entry'`).pluck().all() as string[]);
  const missing = [...defined].filter(([name]) => !present.has(name) && !except.includes(name));
  if (missing.length === 0) return;
  // SQLite's sorter may use helper threads for index builds: one per core.
  db.pragma(`threads = ${os.availableParallelism()}`);
  try {
    for (const [, sql] of missing) db.exec(sql);
  } finally {
    db.pragma('threads = 0');
  }
}
