import type { Command } from 'commander';
import { buildPlan, planHeader, writePlanDocument, type PlanResult } from '../../plan/index.ts';
import { createContext, type Context } from '../context.ts';

/** Classifies and plans, reporting progress on stderr (JSON lines with --json). */
export function planWithProgress(ctx: Context): PlanResult {
  const progress = (findings: number) => {
    if (ctx.quiet) return;
    if (ctx.json) process.stderr.write(`${JSON.stringify({ event: 'progress', phase: 'classify', findings })}\n`);
    else if (process.stderr.isTTY) process.stderr.write(`\rclassifying… ${findings} findings`);
  };
  const result = buildPlan(ctx.db(), ctx.config, { onFinding: progress });
  if (!ctx.json && !ctx.quiet && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  ctx.logger.info({ planRunId: result.planRunId, planHash: result.planHash, findings: result.summary.findings }, 'plan: built');
  return result;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('classify the catalog and propose what to do under the priority rules; prints the plan hash')
    .action((_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const result = planWithProgress(ctx);
      if (ctx.json) {
        const header = planHeader(ctx.db(), ctx.config, result.planRunId, result.configHash, result.summary);
        writePlanDocument(ctx.db(), result.planRunId, header, (chunk) => process.stdout.write(chunk));
      } else {
        const { summary } = result;
        const lines = [`plan ${result.planHash}`];
        for (const [kind, count] of Object.entries(summary.findings)) lines.push(`  ${String(count).padStart(7)}  ${kind}`);
        lines.push('  proposals:');
        for (const [action, count] of Object.entries(summary.actions)) lines.push(`  ${String(count).padStart(7)}  ${action}`);
        lines.push(`  reclaimable from working trees: ${summary.reclaimableBytes} bytes`);
        for (const source of summary.completeness) {
          const pct = (part: number) => (source.files === 0 ? '0' : ((100 * part) / source.files).toFixed(1));
          lines.push(
            `  ${source.source}: ${source.present.files}/${source.files} present (${pct(source.present.files)}%), ` +
              `${source.missing.files} missing, ${source.placeholder.files} placeholders, ${source.partial.files} partial` +
              (source.unreadable.files ? `, ${source.unreadable.files} below unreadable folders` : ''),
          );
        }
        ctx.result(null, () => lines.join('\n'));
      }
      ctx.close();
    });
}
