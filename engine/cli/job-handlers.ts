/**
 * What the worker runs for each job kind: the stages wired into the queue here, where workers
 * start (the worker command, and apply/rollback/run running their job in place), so the queue
 * itself imports no stage.
 */
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { applyJob, executeRun, rollbackJob, rollbackRun } from '../apply/index.ts';
import type { JobHandler } from '../jobs/index.ts';
import { recoverFetchJob, runFetchJob } from '../recover/index.ts';
import { verify } from '../verify/index.ts';

export function jobHandlers(db: Db, config: Config): Record<string, JobHandler> {
  return {
    [applyJob.kind]: applyJob.handler(async (control, { runId }) => {
      const summary = await executeRun(db, config, runId, { actor: control.job.createdBy, progress: control.progress, lease: control });
      control.progress({ phase: 'verify', done: 0, total: 1, message: 'verifying' }, true);
      const verification = await verify(db, config, { run: runId });
      control.progress({ phase: 'finished', done: summary.total, total: summary.total, message: `verification ${verification.outcome}` }, true);
      return { summary, verification: { outcome: verification.outcome } };
    }),
    [recoverFetchJob.kind]: recoverFetchJob.handler(async (control, { sources }) =>
      runFetchJob(db, config, { sources, actor: control.job.createdBy, progress: (progress, force) => control.progress(progress, force) }),
    ),
    [rollbackJob.kind]: rollbackJob.handler(async (control, { runId }) =>
      rollbackRun(db, config, runId, { actor: control.job.createdBy, progress: control.progress, lease: control }),
    ),
  };
}
