import type { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../config/index.ts';
import { enqueueApply, getRun, previewApply, retryFailedSteps, type ApplySummary } from '../../apply/index.ts';
import { jobHandlers } from '../job-handlers.ts';
import type { Outcome } from '../../verify/index.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';
import { runJobHere } from '../jobs.ts';
import { actorName } from '../actor.ts';

const flagsSchema = z.object({
  dryRun: z.boolean().default(false),
  queue: z.boolean().default(false),
  /** `--retry` alone: the latest run that finished with failed steps; `--retry <run>`: that one. */
  retry: z.union([z.literal(true), z.string().min(1)]).optional(),
});

/** What to do about failed steps: they wait in their run, blocking nothing else. */
export function retryHint(runId: string, failed: number): string {
  return `run ${runId} finished with ${failed} failed; fix what each names, then retry them: reconcile apply --retry ${runId}`;
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('carry out the approved decisions (journaled, resumable); resumes an interrupted run first')
    .option('-n, --dry-run', 'list what would be done, touch nothing')
    .option('--queue', 'queue the run for the worker (reconcile worker / serve) instead of running it here')
    .option('--retry [run]', 'run again the steps that failed in a run that finished with failures (default: the latest such run)')
    .action(async (_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      try {
        const db = ctx.db();
        if (flags.dryRun) {
          const preview = previewApply(db, ctx.config);
          ctx.result(preview, () => {
            const lines = preview.operations.map((op) => `${op.check === 'ready' ? ' ' : '!'} ${op.op.padEnd(5)} ${op.from ?? ''}${op.from ? ' -> ' : ''}${op.to}${op.check === 'ready' ? '' : `  (${op.check})`}`);
            const head = preview.resumeRun ? [`run ${preview.resumeRun} is unfinished; apply resumes it first`] : [];
            const counts = Object.entries(preview.counts).map(([op, n]) => `${n} ${op}`).join(', ') || 'nothing';
            return [...head, ...lines, `${preview.decisions} approved decisions: ${counts}; ${preview.copyBytes} bytes to copy (dry run, nothing changed)`].join('\n');
          });
          return;
        }
        const queued = flags.retry ? retryFailedSteps(db, actorName(), flags.retry === true ? undefined : flags.retry) : enqueueApply(db, ctx.config, actorName());
        if (queued.state === 'nothing') {
          ctx.result({ state: 'nothing', runId: queued.run?.id ?? null }, () =>
            queued.run ? `nothing new to do: the approved work was carried out by run ${queued.run.id}` : 'nothing to apply: no approved decisions are waiting',
          );
          return;
        }
        if (flags.queue) {
          ctx.result({ state: queued.state, run: queued.run, jobId: queued.job.id }, () => `run ${queued.run.id} queued as job ${queued.job.id}`);
          return;
        }
        ctx.say(`${flags.retry ? 'retrying the failed steps of' : queued.state === 'resumed' ? 'resuming' : 'applying'} run ${queued.run.id} (${queued.run.opCount} operations, journal ${queued.run.journalPath})`);
        const outcome = await runJobHere(ctx, queued.job, jobHandlers(db, ctx.config).apply!, 'apply');
        const run = getRun(db, queued.run.id)!;
        const result = outcome.result as { summary: ApplySummary; verification: { outcome: Outcome } } | undefined;
        if (outcome.status !== 'succeeded') {
          throw new UserError(`apply of run ${run.id} stopped: ${outcome.error}; fix the cause and run reconcile apply again to resume`, 1);
        }
        ctx.result({ state: queued.state, run, ...result }, () => {
          const summary = result!.summary;
          const lines = [
            `run ${run.id}: ${summary.done} done, ${summary.skipped} skipped, ${summary.failed} failed of ${summary.total}; verification ${result!.verification.outcome === 'failed' ? 'FAILED' : result!.verification.outcome} (reconcile verify ${run.id} for details)`,
            ...summary.flagged.map((flag) => `  flagged ${flag.reason}: ${flag.path}`),
            ...summary.notPreserved.slice(0, 20).map((item) => `  not preserved (${item.what.join(', ')}): ${item.path}`),
            ...(summary.failed > 0 ? [retryHint(run.id, summary.failed)] : []),
          ];
          return lines.join('\n');
        });
        // Outstanding entries are work for recovery, not a failed apply; failed steps wait for --retry.
        if (result!.verification.outcome === 'failed' || result!.summary.failed > 0) process.exitCode = 1;
      } finally {
        ctx.close();
      }
    });
}
