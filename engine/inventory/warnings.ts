/**
 * Import warnings: what an import could not use or could not reconcile, kept on its source (not
 * findings — nothing in the space is wrong because of them, but a person should know). Each
 * import of a file replaces that file's warnings, so re-importing is idempotent.
 */
import path from 'node:path';
import type { Db } from '../db/index.ts';

export type ImportWarningKind =
  /** A log line names a path that matches no origin entry and no space entry (or lies outside both roots). */
  | 'unmatched-path'
  /** More such lines than are kept one by one. */
  | 'unmatched-paths'
  /** robocopy's summary reports more failures than the log's lines could be matched to entries. */
  | 'summary-mismatch'
  /** A robocopy job ends without its summary table (the copy was interrupted, or the log cut short). */
  | 'no-summary';

export interface ImportWarning {
  sourceId: string;
  /** The imported file (absolute path). */
  file: string;
  lineNo: number | null;
  kind: ImportWarningKind;
  message: string;
  detail: Record<string, unknown>;
}

export interface StoredImportWarning extends ImportWarning {
  id: number;
  createdAt: string;
}

/** Replaces the warnings of one imported file of a source. */
export function replaceImportWarnings(db: Db, sourceId: string, file: string, warnings: ImportWarning[]): void {
  const insert = db.prepare('INSERT INTO ImportWarning (sourceId, file, lineNo, kind, message, detailJson, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const now = new Date().toISOString();
  db.transaction(() => {
    db.prepare('DELETE FROM ImportWarning WHERE sourceId = ? AND file = ?').run(sourceId, file);
    for (const warning of warnings) insert.run(sourceId, file, warning.lineNo, warning.kind, warning.message, JSON.stringify(warning.detail), now);
  })();
}

/** Warnings in source, file and line order; `perSource` keeps the first few of each source. */
export function listImportWarnings(db: Db, options: { sourceId?: string; perSource?: number } = {}): StoredImportWarning[] {
  const rows = db
    .prepare(
      `SELECT id, sourceId, file, lineNo, kind, message, detailJson, createdAt FROM (
         SELECT *, ROW_NUMBER() OVER (PARTITION BY sourceId ORDER BY file, lineNo, id) AS rank
           FROM ImportWarning WHERE @sourceId IS NULL OR sourceId = @sourceId)
        WHERE @perSource IS NULL OR rank <= @perSource
        ORDER BY sourceId, file, lineNo, id`,
    )
    .all({ sourceId: options.sourceId ?? null, perSource: options.perSource ?? null }) as (Omit<StoredImportWarning, 'detail'> & { detailJson: string })[];
  return rows.map(({ detailJson, ...row }) => ({ ...row, detail: JSON.parse(detailJson) as Record<string, unknown> }));
}

export interface SourceImportWarnings {
  count: number;
  /** The first few, with the file's name only. */
  shown: { kind: ImportWarningKind; file: string; lineNo: number | null; message: string }[];
}

/** Per source id: how many warnings, and the first `shown` of them (what a source row displays). */
export function importWarningsBySource(db: Db, options: { shown: number }): Map<string, SourceImportWarnings> {
  const counts = db.prepare('SELECT sourceId, COUNT(*) AS n FROM ImportWarning GROUP BY sourceId').all() as { sourceId: string; n: number }[];
  const bySource = new Map<string, SourceImportWarnings>(counts.map((row) => [row.sourceId, { count: row.n, shown: [] }]));
  for (const warning of listImportWarnings(db, { perSource: options.shown })) {
    bySource.get(warning.sourceId)?.shown.push({ kind: warning.kind, file: path.basename(warning.file), lineNo: warning.lineNo, message: warning.message });
  }
  return bySource;
}
