import type { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../config/index.ts';
import { enqueueRollback, type RollbackResult } from '../../apply/index.ts';
import { jobHandlers } from '../job-handlers.ts';
import { actorName } from '../actor.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';
import { runJobHere } from '../jobs.ts';

const flagsSchema = z.object({ queue: z.boolean().default(false) });

export function registerRollback(program: Command): void {
  program
    .command('rollback')
    .description('undo an apply run, newest step first; refuses steps whose files changed since')
    .argument('<run>', 'run id, or latest')
    .option('--queue', 'queue the rollback for the worker instead of running it here')
    .action(async (run: string, _options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      try {
        const db = ctx.db();
        const queued = enqueueRollback(db, run, actorName());
        if (flags.queue) {
          ctx.result({ runId: queued.runId, jobId: queued.job.id }, () => `rollback of run ${queued.runId} queued as job ${queued.job.id}`);
          return;
        }
        const outcome = await runJobHere(ctx, queued.job, jobHandlers(db, ctx.config).rollback!, 'rollback');
        if (outcome.status !== 'succeeded') throw new UserError(`rollback of run ${queued.runId} stopped: ${outcome.error}; run it again to resume`, 1);
        const result = outcome.result as RollbackResult;
        ctx.result(result, () =>
          [
            result.status === 'nothing'
              ? `run ${result.runId} is already rolled back`
              : `run ${result.runId}: ${result.restored} step(s) undone${result.untouched ? `, ${result.untouched} left as found (their result was there before the run)` : ''}${result.refused.length ? `, ${result.refused.length} refused` : ''}`,
            ...result.refused.map((item) => `  refused: ${item.reason}`),
          ].join('\n'),
        );
        if (result.refused.length > 0) process.exitCode = 1;
      } finally {
        ctx.close();
      }
    });
}
