import type { Command } from 'commander';
import { UserError } from '../../config/index.ts';
import { enqueueApply, type ApplySummary } from '../../apply/index.ts';
import { refreshCatalog, type RefreshSummary } from '../../catalog/index.ts';
import { jobHandlers } from '../job-handlers.ts';
import type { Outcome } from '../../verify/index.ts';
import { buildReport, renderCommsLog } from '../../report/index.ts';
import { configuredSources } from '../../scan/index.ts';
import { actorName } from '../actor.ts';
import { createContext, type Context } from '../context.ts';
import { runJobHere } from '../jobs.ts';
import { createScanProgress } from '../scan-progress.ts';
import { retryHint } from './apply.ts';
import { planWithProgress } from './plan.ts';

async function scanSpace(ctx: Context): Promise<RefreshSummary> {
  const progress = createScanProgress({ json: ctx.json, quiet: ctx.quiet });
  try {
    return await refreshCatalog(ctx.db(), { sources: configuredSources(ctx.config, []), full: false, xattrs: true, onProgress: (event) => progress.update(event) });
  } finally {
    progress.stop();
  }
}

const changes = (scan: RefreshSummary): number => scan.added + scan.changed + scan.removed;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('scan → findings → plan → apply approved → verify → report; on a settled space it does nothing and says so')
    .action(async (_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      try {
        const db = ctx.db();
        const previousPlan = (db.prepare('SELECT planHash FROM PlanRun ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined) ?? null;
        ctx.say('1/5 scanning the sources');
        const scan = await scanSpace(ctx);
        ctx.say(`    ${scan.entriesSeen} entries, ${changes(scan)} changed since the last scan`);
        ctx.say('2/5 classifying and planning');
        let plan = await planWithProgress(ctx);
        ctx.say(`    plan ${plan.planHash}`);
        ctx.say('3/5 applying approved decisions');
        const queued = enqueueApply(db, ctx.config, actorName());
        let applied: { runId: string; summary: ApplySummary; verification: { outcome: Outcome } } | null = null;
        if (queued.state !== 'nothing') {
          const outcome = await runJobHere(ctx, queued.job, jobHandlers(db, ctx.config).apply!, 'apply');
          if (outcome.status !== 'succeeded') {
            throw new UserError(`apply of run ${queued.run.id} stopped: ${outcome.error}; fix the cause and run reconcile run again to resume`, 1);
          }
          applied = { runId: queued.run.id, ...(outcome.result as { summary: ApplySummary; verification: { outcome: Outcome } }) };
          ctx.say(`    run ${applied.runId}: ${applied.summary.done} done, ${applied.summary.skipped} skipped, ${applied.summary.failed} failed`);
          if (applied.summary.failed > 0) ctx.say(`    ${retryHint(applied.runId, applied.summary.failed)}`);
          ctx.say(`4/5 verification ${applied.verification.outcome === 'failed' ? 'FAILED' : applied.verification.outcome}; rescanning so the catalog shows the result`);
          await scanSpace(ctx);
          plan = await planWithProgress(ctx);
        } else ctx.say('    no approved decisions waiting');
        const settled = applied === null && changes(scan) === 0 && plan.planHash === previousPlan;
        const report = applied ? buildReport(db, ctx.config, applied.runId) : null;
        ctx.say(`5/5 ${report ? 'report ready: reconcile report --run ' + applied!.runId : 'no new run to report'}`);
        const result = {
          settled,
          scan: { scanId: scan.scanId, entries: scan.entriesSeen, changed: changes(scan), unreadable: scan.unreadable },
          plan: { planHash: plan.planHash, findings: plan.summary.findings },
          apply: applied,
          commsLog: report ? renderCommsLog(report) : null,
        };
        ctx.result(result, () =>
          settled
            ? 'nothing new to do: the space is settled (no changes since the last scan, plan unchanged, no approved decisions waiting)'
            : applied
              ? `\n${result.commsLog}`
              : `no approved decisions to apply; review the ${Object.values(plan.summary.findings).reduce((sum, n) => sum + n, 0)} findings in the web app or with reconcile decide`,
        );
        if (applied && (applied.verification.outcome === 'failed' || applied.summary.failed > 0)) process.exitCode = 1;
      } finally {
        ctx.close();
      }
    });
}
