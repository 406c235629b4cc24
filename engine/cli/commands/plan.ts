import type { Command } from 'commander';
import { z } from 'zod';
import { precomputeDigests } from '../../classify/index.ts';
import { UserError } from '../../config/index.ts';
import type { JobProgress } from '../../jobs/index.ts';
import { buildPlan, planHeader, reusablePlan, writePlanDocument, type PlanResult } from '../../plan/index.ts';
import { createContext, type Context } from '../context.ts';
import { progressReporter } from '../jobs.ts';
import { parseFlags } from '../flags.ts';

const flagsSchema = z.object({ rebuild: z.boolean().optional() });

/** A plan built now, or the latest one reused because nothing it reads has changed since. */
export type CurrentPlan = PlanResult & { reused: boolean };

/**
 * Classifies and plans with the CLI's progress reporter: a bar over the counterpart reads, then
 * over the classification passes, on a terminal; JSON lines on stderr with --json; nothing with --quiet.
 * Reuses the latest plan instead when nothing it reads has changed, unless `rebuild`.
 */
export async function planWithProgress(ctx: Context, options: { rebuild?: boolean } = {}): Promise<CurrentPlan> {
  if (ctx.db().prepare('SELECT COUNT(*) FROM Source').pluck().get() === 0) {
    throw new UserError(`the catalog is empty (${ctx.config.databasePath}): run reconcile scan first`);
  }
  const reusable = options.rebuild ? null : reusablePlan(ctx.db(), ctx.config);
  if (reusable) {
    ctx.logger.info({ planRunId: reusable.planRunId, planHash: reusable.planHash }, 'plan: reused');
    return { ...reusable, reused: true };
  }
  const reporter = progressReporter(ctx, 'plan');
  let result: PlanResult;
  try {
    await readCounterpartsAhead(ctx, reporter);
    result = buildPlan(ctx.db(), ctx.config, {
      onProgress: ({ pass, done, total, findings }) => {
        // The count also travels as a number in the JSON lines.
        const progress: JobProgress & { findings: number } = { phase: pass, done, total, message: `${findings} findings`, findings };
        reporter.update(progress);
      },
    });
  } finally {
    reporter.stop();
  }
  ctx.logger.info({ planRunId: result.planRunId, planHash: result.planHash, findings: result.summary.findings }, 'plan: built');
  return { ...result, reused: false };
}

/**
 * Cloud inventories' hashes are computed for the counterparts on the hash workers first (and kept:
 * files unchanged since the last plan are not read again).
 */
export async function readCounterpartsAhead(ctx: Context, reporter: ReturnType<typeof progressReporter>): Promise<void> {
  const digests = await precomputeDigests(ctx.db(), ctx.config, {
    onProgress: ({ done, total, bytes }) => reporter.update({ phase: 'reading counterparts', done, total, message: `${bytes} bytes` }),
  });
  ctx.logger.info(digests, 'plan: counterpart digests');
}

/** The human line saying a plan was reused, and how to build one anyway. */
export function reusedLine(plan: CurrentPlan): string {
  return `reused plan run ${plan.planRunId}: nothing it reads has changed since it was built (--rebuild builds it anew)`;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('classify the catalog and propose what to do under the priority rules; prints the plan hash')
    .option('--rebuild', 'classify and plan anew even when nothing the latest plan read has changed')
    .action(async (_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      const result = await planWithProgress(ctx, { rebuild: flags.rebuild });
      const header = planHeader(ctx.db(), ctx.config, result.planRunId, result.configHash, result.summary);
      if (ctx.json) {
        // stdout is the canonical plan document (the same bytes reused or rebuilt); whether it was reused goes beside it.
        if (!ctx.quiet) process.stderr.write(`${JSON.stringify({ event: 'plan', planRunId: result.planRunId, planHash: result.planHash, reused: result.reused })}\n`);
        writePlanDocument(ctx.db(), result.planRunId, header, (chunk) => process.stdout.write(chunk));
      } else {
        const { summary } = result;
        const lines = [`plan ${result.planHash}`];
        if (result.reused) lines.push(`  ${reusedLine(result)}`);
        for (const [kind, count] of Object.entries(summary.findings)) lines.push(`  ${String(count).padStart(7)}  ${kind}`);
        lines.push('  proposals:');
        for (const [action, count] of Object.entries(summary.actions)) lines.push(`  ${String(count).padStart(7)}  ${action}`);
        lines.push(`  reclaimable from working trees: ${summary.reclaimableBytes} bytes`);
        for (const source of summary.completeness) {
          const pct = (part: number) => (source.files === 0 ? '0' : ((100 * part) / source.files).toFixed(1));
          lines.push(
            `  ${source.source}: ${source.present.files}/${source.files} present (${pct(source.present.files)}%` +
              (source.weak.files ? `, ${source.weak.files} by size + mtime only: no hash in the inventory), ` : '), ') +
              `${source.missing.files} missing, ${source.placeholder.files} placeholders, ${source.partial.files} partial` +
              (source.unreadable.files ? `, ${source.unreadable.files} unreadable (or below unreadable folders)` : ''),
          );
        }
        const toFetch = summary.actions['needs-redownload'] ?? 0;
        if (toFetch > 0) lines.push(`  ${toFetch} findings need files from their origins: reconcile recover lists them per source, with the command to fetch them`);
        ctx.result(null, () => lines.join('\n'));
      }
      ctx.close();
    });
}
