/**
 * What callers (CLI, web app, worker) do with apply runs: preview the approved work, queue it as
 * a durable job (once: the same work is one run), and run the job.
 */
import { z } from 'zod';
import { UserError, type Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { defineJob, getJob, requeueJob, type JobProgress, type JobRow } from '../jobs/index.ts';
import { auditRun } from './audit.ts';
import { lstatOrNull, sameMtime } from './files.ts';
import { displayPath } from './paths.ts';
import { approvedOperations, approvedWork } from './prepare.ts';
import { repairRuns } from './repair.ts';
import { createRun, durably, getRun, reopenFailedSteps, resolveRun, runWithFailures, unfinishedRun, type RunRow } from './runs.ts';

export const applyJobKind = 'apply';
/** An apply job carries out one run; version 1 names it. */
export const applyJob = defineJob(applyJobKind, 1, z.object({ runId: z.string().min(1) }));

export interface PreviewOperation {
  id: string;
  op: string;
  from: string | null;
  to: string;
  size: number | null;
  /** What a stat-level check sees now (hashes are checked when the step runs). */
  check: 'ready' | 'source-missing' | 'source-changed' | 'destination-exists';
}

export interface ApplyPreview {
  /** An unfinished run that `apply` would resume instead of starting new work. */
  resumeRun: string | null;
  decisions: number;
  operations: PreviewOperation[];
  counts: Record<string, number>;
  copyBytes: number;
}

function quickCheck(op: ReturnType<typeof approvedOperations>[number]): PreviewOperation['check'] {
  if (op.from) {
    const from = lstatOrNull(op.from);
    if (!from) return 'source-missing';
    if ((op.expectSize !== null && from.size !== op.expectSize) || (op.expectMtimeNs !== null && !sameMtime(from.mtimeNs, op.expectMtimeNs))) {
      return 'source-changed';
    }
  }
  return op.op !== 'mkdir' && !op.to.includes('{run}') && lstatOrNull(op.to) ? 'destination-exists' : 'ready';
}

/** The approved operations and what they would do, without touching anything. */
export function previewApply(db: Db, config: Config): ApplyPreview {
  const operations = approvedOperations(db, config);
  const counts: Record<string, number> = {};
  for (const op of operations) counts[op.op] = (counts[op.op] ?? 0) + 1;
  return {
    resumeRun: unfinishedRun(db)?.id ?? null,
    decisions: new Set(operations.map((op) => op.decisionKey)).size,
    operations: operations.map((op) => ({
      id: op.id,
      op: op.op,
      from: op.from ? displayPath(op.from) : null,
      to: displayPath(op.to),
      size: op.expectSize === null ? null : Number(op.expectSize),
      check: quickCheck(op),
    })),
    counts,
    copyBytes: operations.reduce((sum, op) => sum + (op.op === 'copy' ? Number(op.expectSize ?? 0n) : 0), 0),
  };
}

export type EnqueueResult =
  | { state: 'queued' | 'resumed'; run: RunRow; job: JobRow }
  | { state: 'nothing'; run?: RunRow };

function jobForRun(db: Db, run: RunRow, actor: string): JobRow {
  const { job } = applyJob.enqueue(db, { idempotencyKey: `apply:${run.id}`, payload: { runId: run.id }, createdBy: actor });
  if (job.status === 'failed' || job.status === 'cancelled' || job.status === 'succeeded') requeueJob(db, job.id);
  if (run.jobId !== job.id) db.prepare('UPDATE ApplyRun SET jobId = ? WHERE id = ?').run(job.id, run.id);
  return getJob(db, job.id)!;
}

/**
 * Queues the approved work as an apply job. Runs the database lost are rebuilt from their journals
 * first; an unfinished run (crashed, stopped by a full disk) is resumed first; work already
 * carried out is not queued again.
 */
export function enqueueApply(db: Db, config: Config, actor: string): EnqueueResult {
  // One IMMEDIATE transaction from the first look to the new rows: a CLI apply and a web apply
  // at the same moment queue one run, not two.
  const enqueue = db.transaction((): EnqueueResult => {
    // A run the database lost is known again before anything new is queued beside it.
    repairRuns(db, config);
    const pending = unfinishedRun(db);
    if (pending) return { state: 'resumed', run: pending, job: jobForRun(db, pending, actor) };
    // Read through twice (named here, stored by createRun), never held: a run of millions of steps.
    const work = approvedWork(db, config);
    if (work.count === 0) return { state: 'nothing' };
    const settled = db
      .prepare(`SELECT * FROM ApplyRun WHERE opsHash = ? AND status = 'succeeded' ORDER BY createdAt DESC LIMIT 1`)
      .get(work.opsHash) as RunRow | undefined;
    if (settled) return { state: 'nothing', run: settled };
    const run = createRun(db, config, work, actor);
    auditRun(db, actor, 'apply.queued', run.id, { operations: run.opCount });
    return { state: 'queued', run, job: jobForRun(db, run, actor) };
  });
  return durably(db, () => enqueue.immediate());
}

/**
 * Queues a run that finished with failed steps again, once their cause is fixed: only those steps
 * run (the others are done), under the run's own archive paths. Default: the latest such run.
 */
export function retryFailedSteps(db: Db, actor: string, runRef?: string): { state: 'resumed'; run: RunRow; job: JobRow } {
  const run = runRef === undefined ? runWithFailures(db) : resolveRun(db, runRef);
  if (!run) throw new UserError('no run finished with failed steps; nothing to retry');
  if (run.status !== 'finished-with-failures') {
    throw new UserError(`run ${run.id} is ${run.status}; only a run that finished with failed steps can be retried`);
  }
  const job = db
    .transaction(() => {
      reopenFailedSteps(db, run.id);
      return jobForRun(db, run, actor);
    })
    .immediate();
  auditRun(db, actor, 'apply.queued', run.id, { retry: true, operations: run.failedCount });
  return { state: 'resumed', run: getRun(db, run.id)!, job };
}

export interface RunProgress {
  run: RunRow;
  job: Pick<JobRow, 'id' | 'status' | 'error' | 'leaseOwner' | 'heartbeatAt'> | null;
  /** The worker's latest progress report (phase, done, total, bytes), for the live UI. */
  progress: JobProgress | null;
  /** Operation counts by status, straight from the database mirror of the journal. */
  operations: Record<string, number>;
}

/** A run's live state: the job behind it, its latest progress and how far its operations got. */
export function runProgress(db: Db, runId: string): RunProgress | undefined {
  const run = getRun(db, runId);
  if (!run) return undefined;
  const job = run.jobId === null ? undefined : getJob(db, run.jobId);
  const counts = db.prepare('SELECT status, COUNT(*) AS n FROM Operation WHERE runId = ? GROUP BY status').all(runId) as { status: string; n: number }[];
  return {
    run,
    job: job ? { id: job.id, status: job.status, error: job.error, leaseOwner: job.leaseOwner, heartbeatAt: job.heartbeatAt } : null,
    progress: job?.progressJson ? (JSON.parse(job.progressJson) as JobProgress) : null,
    operations: Object.fromEntries(counts.map((row) => [row.status, row.n])),
  };
}
