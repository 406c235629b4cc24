/**
 * Apply from the web app: preview the approved operations (a dry run), queue them as a durable
 * job run by the worker beside the server, follow runs with their verification, roll back, and
 * export the audit report. The engine does the work; the actor's e-mail goes with every call.
 */
import 'server-only';
import {
  enqueueApply,
  enqueueRollback,
  getRun,
  listRuns,
  previewApply,
  retryFailedSteps,
  runProblems,
  runStatusCounts,
  type ApplyPreview,
  type RunProblem,
  type RunRow,
} from '../../engine/apply/index.ts';
import { buildReport, renderReport, reportFormats, type ReportFormat } from '../../engine/report/index.ts';

export { reportFormats };
import type { Actor } from '../auth/actor.ts';
import { ApiError } from '../api/respond.ts';
import { serverConfig } from '../config.ts';
import { engineDb } from '../db.ts';

/** Operations listed in the preview; the counts always cover all of them. */
const previewLimit = 1000;

export interface ApplyPreviewView extends Omit<ApplyPreview, 'operations'> {
  operations: ApplyPreview['operations'];
  totalOperations: number;
  /** Operations whose quick check already fails (source changed or missing, destination taken). */
  blocked: number;
}

export function applyPreview(): ApplyPreviewView {
  const preview = previewApply(engineDb(), serverConfig());
  return {
    ...preview,
    operations: preview.operations.slice(0, previewLimit),
    totalOperations: preview.operations.length,
    blocked: preview.operations.filter((op) => op.check !== 'ready').length,
  };
}

export interface RunView extends Omit<RunRow, 'decisionKeysJson' | 'verifyJson' | 'rollbackJson'> {
  decisions: number;
  verification: unknown;
  rollback: unknown;
}

function toView(run: RunRow): RunView {
  const { decisionKeysJson, verifyJson, rollbackJson, ...rest } = run;
  return {
    ...rest,
    bytesTotal: Number(run.bytesTotal),
    bytesDone: Number(run.bytesDone),
    decisions: (JSON.parse(decisionKeysJson) as unknown[]).length,
    verification: verifyJson ? JSON.parse(verifyJson) : null,
    rollback: rollbackJson ? JSON.parse(rollbackJson) : null,
  };
}

export function applyRuns(): RunView[] {
  return listRuns(engineDb(), 20).map(toView);
}

export interface RunDetail extends RunView {
  /** Operations that were skipped or failed, with the reason (first 200). */
  problems: RunProblem[];
  byStatus: Record<string, number>;
}

export function applyRun(id: string): RunDetail {
  const db = engineDb();
  const run = getRun(db, id);
  if (!run) throw new ApiError('not_found', 'no such apply run');
  return { ...toView(run), byStatus: runStatusCounts(db, id), problems: runProblems(db, id, 200) };
}

export function startApply(actor: Actor, retry?: string): { state: string; runId: string | null; jobId: number | null } {
  const result = retry ? retryFailedSteps(engineDb(), actor.email, retry) : enqueueApply(engineDb(), serverConfig(), actor.email);
  if (result.state === 'nothing') return { state: 'nothing', runId: result.run?.id ?? null, jobId: null };
  return { state: result.state, runId: result.run.id, jobId: result.job.id };
}

export function startRollback(actor: Actor, runId: string): { runId: string; jobId: number } {
  const result = enqueueRollback(engineDb(), runId, actor.email);
  return { runId: result.runId, jobId: result.job.id };
}

const reportTypes: Record<ReportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  'comms-log': 'text/markdown; charset=utf-8',
  guardrails: 'text/markdown; charset=utf-8',
};

/** The audit report of a run (default: the latest) as a download. */
export function reportDownload(format: ReportFormat, runId?: string): Response {
  const report = buildReport(engineDb(), serverConfig(), runId);
  // Rendered at once: its lists stream from the database, which the next request needs free.
  const body = [...renderReport(report, format)].join('');
  const extension = format === 'comms-log' || format === 'guardrails' ? `${format}.md` : format;
  return new Response(body, {
    headers: {
      'content-type': reportTypes[format],
      'content-disposition': `attachment; filename="reconcile-report${runId ? `-${runId}` : ''}.${extension}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // An HTML report opened from here runs no scripts.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
