/**
 * Per-source figures (present files and bytes, unreadable entries, origin-inventory files and bytes,
 * open findings per kind), kept in SourceStats so a page never counts millions of rows. Each part
 * is counted from one input and records which: the source's last scan, its newest inventory, the
 * latest finished plan run. Scans, imports and plans count their part when they finish; a reader recounts
 * only a part whose input has moved on since (a catalog written by other means, an older database).
 */
import type { Db } from '../db/index.ts';

export interface SourceStats {
  sourceId: string;
  files: number;
  bytes: number;
  unreadable: number;
  originFiles: number;
  originBytes: number;
  /** Open findings per kind that involve the source. */
  findings: Record<string, number>;
}

type Part = 'entries' | 'origins' | 'findings';

interface StoredRow {
  sourceId: string;
  scanId: number | null;
  files: number;
  bytes: number | bigint;
  unreadable: number;
  inventoryId: number | null;
  originFiles: number;
  originBytes: number | bigint;
  planRunId: number | null;
  findingsJson: string;
}

/** What each part is counted from now: a part is current while these equal what it recorded. */
function inputs(db: Db): Map<string, { scanId: number | null; inventoryId: number | null; planRunId: number | null }> {
  // A plan being built has no hash yet: its findings are counted once it is done.
  const planRunId = (db.prepare(`SELECT MAX(id) FROM PlanRun WHERE planHash <> ''`).pluck().get() as number | null) ?? null;
  const rows = db
    .prepare('SELECT s.id, s.lastScanId AS scanId, (SELECT MAX(i.id) FROM Inventory i WHERE i.sourceId = s.id) AS inventoryId FROM Source s')
    .all() as { id: string; scanId: number | null; inventoryId: number | null }[];
  return new Map(rows.map((row) => [row.id, { scanId: row.scanId, inventoryId: row.inventoryId, planRunId }]));
}

/**
 * Counts the given parts again for these sources (all by default). One pass over the table per
 * part (the unary + keeps SQLite reading the table in order rather than row by row through the
 * (sourceId, path) index): entries (scan), origin entries (import), open findings (plan).
 */
export function refreshSourceStats(db: Db, parts: readonly Part[], sourceIds?: readonly string[]): void {
  const current = inputs(db);
  const chosen = (sourceIds ?? [...current.keys()]).filter((id) => current.has(id));
  if (chosen.length === 0) return;
  const only = JSON.stringify(chosen);
  db.transaction(() => {
    const ensure = db.prepare('INSERT INTO SourceStats (sourceId) VALUES (?) ON CONFLICT(sourceId) DO NOTHING');
    for (const id of chosen) ensure.run(id);
    if (parts.includes('entries')) {
      const counted = new Map(
        (
          db
            .prepare(
              `SELECT sourceId, sum(type = 'file') AS files, total(CASE WHEN type = 'file' THEN size END) AS bytes, sum(errorCode IS NOT NULL) AS unreadable
               FROM Entry WHERE removedScanId IS NULL AND +sourceId IN (SELECT value FROM json_each(?)) GROUP BY sourceId`,
            )
            .all(only) as { sourceId: string; files: number; bytes: number; unreadable: number }[]
        ).map((row) => [row.sourceId, row]),
      );
      const save = db.prepare('UPDATE SourceStats SET scanId = ?, files = ?, bytes = ?, unreadable = ? WHERE sourceId = ?');
      for (const id of chosen) {
        const row = counted.get(id);
        save.run(current.get(id)!.scanId, row?.files ?? 0, Math.round(row?.bytes ?? 0), row?.unreadable ?? 0, id);
      }
    }
    if (parts.includes('origins')) {
      const counted = new Map(
        (
          db
            .prepare(
              `SELECT sourceId, count(*) AS files, total(size) AS bytes FROM OriginEntry
               WHERE isDir = 0 AND +sourceId IN (SELECT value FROM json_each(?)) GROUP BY sourceId`,
            )
            .all(only) as { sourceId: string; files: number; bytes: number }[]
        ).map((row) => [row.sourceId, row]),
      );
      const save = db.prepare('UPDATE SourceStats SET inventoryId = ?, originFiles = ?, originBytes = ? WHERE sourceId = ?');
      for (const id of chosen) {
        const row = counted.get(id);
        save.run(current.get(id)!.inventoryId, row?.files ?? 0, Math.round(row?.bytes ?? 0), id);
      }
    }
    if (parts.includes('findings')) {
      const bySource = new Map<string, Record<string, number>>();
      const rows = db
        .prepare(
          `SELECT s.value AS sourceId, f.kind, count(*) AS n FROM Finding f, json_each(f.sourcesJson) s
           WHERE f.status = 'open' GROUP BY s.value, f.kind`,
        )
        .all() as { sourceId: string; kind: string; n: number }[];
      for (const row of rows) bySource.set(row.sourceId, { ...bySource.get(row.sourceId), [row.kind]: row.n });
      const save = db.prepare('UPDATE SourceStats SET planRunId = ?, findingsJson = ? WHERE sourceId = ?');
      for (const id of chosen) save.run(current.get(id)!.planRunId, JSON.stringify(bySource.get(id) ?? {}), id);
    }
  })();
}

/**
 * After a scan of `sourceIds` (their last scan before it in `previousScanIds`): a scan that changed
 * nothing moves the recorded scan on for figures that were current; otherwise they are counted.
 */
export function countAfterScan(db: Db, scanId: number, sourceIds: readonly string[], previousScanIds: Map<string, number | null>): void {
  const changed = db.prepare('SELECT catalogChanged FROM ScanRun WHERE id = ?').pluck().get(scanId) !== 0;
  const recorded = new Map((db.prepare('SELECT sourceId, scanId FROM SourceStats').all() as { sourceId: string; scanId: number | null }[]).map((row) => [row.sourceId, row.scanId]));
  const current = sourceIds.filter((id) => !changed && recorded.has(id) && recorded.get(id) === (previousScanIds.get(id) ?? null));
  const move = db.prepare('UPDATE SourceStats SET scanId = ? WHERE sourceId = ?');
  for (const id of current) move.run(scanId, id);
  refreshSourceStats(db, ['entries'], sourceIds.filter((id) => !current.includes(id)));
}

/** Every source's figures, recounting first any part whose input moved on since it was counted. */
export function sourceStats(db: Db): Map<string, SourceStats> {
  const current = inputs(db);
  const read = () => new Map((db.prepare('SELECT * FROM SourceStats').all() as StoredRow[]).map((row) => [row.sourceId, row]));
  let stored = read();
  const stale: Record<Part, string[]> = { entries: [], origins: [], findings: [] };
  for (const [id, input] of current) {
    const row = stored.get(id);
    if (!row || row.scanId !== input.scanId) stale.entries.push(id);
    if (!row || row.inventoryId !== input.inventoryId) stale.origins.push(id);
    if (!row || row.planRunId !== input.planRunId) stale.findings.push(id);
  }
  for (const part of ['entries', 'origins', 'findings'] as const) if (stale[part].length > 0) refreshSourceStats(db, [part], stale[part]);
  if (Object.values(stale).some((ids) => ids.length > 0)) stored = read();
  return new Map(
    [...stored.values()].map((row) => [
      row.sourceId,
      {
        sourceId: row.sourceId,
        files: row.files,
        bytes: Number(row.bytes),
        unreadable: row.unreadable,
        originFiles: row.originFiles,
        originBytes: Number(row.originBytes),
        findings: JSON.parse(row.findingsJson) as Record<string, number>,
      },
    ]),
  );
}
