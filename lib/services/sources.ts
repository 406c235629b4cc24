import 'server-only';
import { sourceStats } from '../../engine/catalog/index.ts';
import { engineDb } from '../db.ts';

export interface SourceSummary {
  id: string;
  host: string | null;
  kind: string;
  class: string;
  landing: string;
  files: number;
  bytes: number;
  unreadable: number;
  lastScanId: number | null;
}

/** Sources in the catalog with their present files and bytes (kept by scan, not counted here). */
export async function listSources(): Promise<SourceSummary[]> {
  const db = engineDb();
  const stats = sourceStats(db);
  // Recovery roots belong to their source; they are counted with it in the recovery view, not listed here.
  const sources = db.prepare('SELECT id, host, kind, class, landing, lastScanId FROM Source WHERE recoveryOf IS NULL ORDER BY id').all() as Omit<SourceSummary, 'files' | 'bytes' | 'unreadable'>[];
  return sources.map((source) => {
    const figures = stats.get(source.id);
    return { ...source, files: figures?.files ?? 0, bytes: figures?.bytes ?? 0, unreadable: figures?.unreadable ?? 0 };
  });
}
