/**
 * What the web app shows of a run: its operations counted per status and the first problems, read
 * by SQL so a page view costs the same for 200 operations or 200,000 (no row is loaded beyond them).
 */
import type { Db } from '../db/index.ts';
import { displayPath } from './paths.ts';

export interface RunProblem {
  id: string;
  op: string;
  path: string;
  status: 'skipped' | 'failed';
  reason: string | null;
}

export function runStatusCounts(db: Db, runId: string): Record<string, number> {
  const rows = db.prepare('SELECT status, count(*) AS n FROM Operation WHERE runId = ? GROUP BY status').all(runId) as { status: string; n: number }[];
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** The first `limit` skipped or failed operations in run order, with their reasons. */
export function runProblems(db: Db, runId: string, limit: number): RunProblem[] {
  const rows = db
    .prepare(
      `SELECT id, op, fromRaw, toRaw, status, reason FROM Operation
       WHERE runId = ? AND status IN ('skipped', 'failed') ORDER BY seq LIMIT ?`,
    )
    .all(runId, limit) as { id: string; op: string; fromRaw: Buffer | null; toRaw: Buffer; status: RunProblem['status']; reason: string | null }[];
  return rows.map((row) => ({ id: row.id, op: row.op, path: displayPath(row.fromRaw ?? row.toRaw), status: row.status, reason: row.reason }));
}
