/**
 * What the worker runs for each job kind. Lives beside the queue but imports the stages, so the
 * queue itself stays free of them.
 */
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { applyJobKind, executeRun, rollbackJobKind, rollbackRun } from '../apply/index.ts';
import { verify } from '../verify/index.ts';
import type { JobHandler } from './worker.ts';

export function jobHandlers(db: Db, config: Config): Record<string, JobHandler> {
  return {
    [applyJobKind]: async (control) => {
      const { runId } = JSON.parse(control.job.payloadJson) as { runId: string };
      const summary = await executeRun(db, config, runId, { actor: control.job.createdBy, progress: control.progress, lease: control });
      control.progress({ phase: 'verify', done: 0, total: 1, message: 'verifying' }, true);
      const verification = await verify(db, config, { run: runId });
      control.progress({ phase: 'finished', done: summary.total, total: summary.total, message: `verification ${verification.outcome}` }, true);
      return { summary, verification: { outcome: verification.outcome } };
    },
    [rollbackJobKind]: async (control) => {
      const { runId } = JSON.parse(control.job.payloadJson) as { runId: string };
      return rollbackRun(db, config, runId, { actor: control.job.createdBy, progress: control.progress, lease: control });
    },
  };
}
