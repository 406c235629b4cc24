/** Background jobs as the UI shows them: status and the live progress the worker writes. */
import 'server-only';
import { z } from 'zod';
import { engineDb } from '../db.ts';
import { ApiError } from '../api/respond.ts';

const progressSchema = z
  .object({
    phase: z.string().optional(),
    done: z.number().optional(),
    total: z.number().optional(),
    bytesDone: z.number().optional(),
    bytesTotal: z.number().optional(),
    message: z.string().optional(),
  })
  .passthrough();
export type JobProgress = z.infer<typeof progressSchema>;

export interface JobView {
  id: number;
  kind: string;
  status: string;
  progress: JobProgress | null;
  result: unknown;
  error: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  payload: unknown;
}

interface JobRow {
  id: number;
  kind: string;
  status: string;
  progressJson: string | null;
  resultJson: string | null;
  payloadJson: string;
  error: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

function parseJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toView(row: JobRow): JobView {
  const progress = progressSchema.safeParse(parseJson(row.progressJson));
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    progress: progress.success ? progress.data : null,
    result: parseJson(row.resultJson),
    payload: parseJson(row.payloadJson),
    error: row.error,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

const columns = 'id, kind, status, progressJson, resultJson, payloadJson, error, createdBy, createdAt, startedAt, finishedAt';

/** Jobs queued or running, plus the ones that finished in the last minutes (so a bar can end at 100%). */
export function listJobs(options: { kind?: string; limit: number }): JobView[] {
  const rows = engineDb()
    .prepare(
      `SELECT ${columns} FROM Job WHERE (? IS NULL OR kind LIKE ? || '%')
       ORDER BY CASE WHEN status IN ('queued', 'running') THEN 0 ELSE 1 END, id DESC LIMIT ?`,
    )
    .all(options.kind ?? null, options.kind ?? null, options.limit) as JobRow[];
  return rows.map(toView);
}

export function getJob(id: number): JobView {
  const row = engineDb().prepare(`SELECT ${columns} FROM Job WHERE id = ?`).get(id) as JobRow | undefined;
  if (!row) throw new ApiError('not_found', 'no such job');
  return toView(row);
}
