import type { Command } from 'commander';
import { z } from 'zod';
import { fetchSource, recoveryPlan, writeRecovery, type FetchResult, type SourceRecovery } from '../../recover/index.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';
import { progressReporter } from '../jobs.ts';
import { planWithProgress } from './plan.ts';

const flagsSchema = z.object({
  source: z.array(z.string().min(1)).default([]),
  fetch: z.boolean().default(false),
  out: z.string().min(1).optional(),
});

function render(recovery: SourceRecovery, fetched: FetchResult | undefined): string[] {
  const { counts } = recovery;
  const lines = [
    `${recovery.source} (${recovery.kind}${recovery.origin ? `, ${recovery.origin}` : ''}): ${counts.outstanding} to fetch, ${counts.fetched} fetched and waiting for placement, ${counts.placed} placed, ${counts.waived} waived`,
  ];
  if (recovery.files.length > 0) {
    lines.push(`  into ${recovery.target}`);
    if (recovery.list) lines.push(`  list: ${recovery.list}`);
    if (recovery.script) lines.push(`  script: ${recovery.script}`);
    for (const entry of recovery.entries.slice(0, 20)) {
      lines.push(`    ${entry.reason.padEnd(19)} ${entry.path}${entry.mismatch ? `  (the fetched copy does not match: ${entry.mismatch.status})` : ''}`);
      if (entry.remedy) lines.push(`      first: ${entry.remedy}`);
    }
    if (recovery.entries.length > 20) lines.push(`    … and ${recovery.entries.length - 20} more (all in the list; --json gives every entry)`);
  }
  for (const waived of recovery.waived) lines.push(`    waived              ${waived.path}  (${waived.waiver}; ${waived.decidedBy})`);
  for (const folder of recovery.blocked) lines.push(`  blocked at the origin: ${folder.path}: ${folder.message}`, ...(folder.remedy ? [`      first: ${folder.remedy}`] : []));
  for (const instruction of recovery.instructions) lines.push(`  ${instruction}`);
  if (fetched) lines.push(`  fetch: ${fetched.status}: ${fetched.message}${fetched.log ? ` (log ${fetched.log})` : ''}`);
  return lines;
}

export function registerRecover(program: Command): void {
  program
    .command('recover')
    .description('per source: the origin entries the space still lacks, written as a list with the command (or script) that fetches them')
    .option('-s, --source <id>', 'only this source (repeatable)', (value: string, all: string[] = []) => [...all, value])
    .option('--fetch', 'run the transfer where this server reaches the origin (ssh host, rclone remote, local or mounted folder)')
    .option('-o, --out <dir>', 'where the lists and scripts go (default: <data dir>/recovery)')
    .action(async (_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      try {
        const db = ctx.db();
        await planWithProgress(ctx);
        const plan = recoveryPlan(db, ctx.config, { dir: flags.out, sources: flags.source });
        for (const recovery of plan.sources) writeRecovery(ctx.config, recovery, plan.dir);
        const fetched = new Map<string, FetchResult>();
        if (flags.fetch) {
          const reporter = progressReporter(ctx, 'fetch');
          try {
            for (const recovery of plan.sources.filter((each) => each.files.length > 0)) {
              const result = await fetchSource(db, ctx.config, recovery, {
                dir: plan.dir,
                quiet: ctx.json || ctx.quiet,
                onProgress: ({ source, done, total, bytes }) => reporter.update({ phase: source, done, total, message: `${bytes} bytes` }),
              });
              fetched.set(recovery.source, result);
              ctx.logger.info(result, 'recover: fetch');
            }
          } finally {
            reporter.stop();
          }
        }
        const outstanding = plan.sources.reduce((sum, source) => sum + source.counts.outstanding, 0);
        ctx.result({ planRunId: plan.planRunId, dir: plan.dir, sources: plan.sources, ...(flags.fetch ? { fetch: [...fetched.values()] } : {}) }, () =>
          [
            outstanding === 0 ? 'nothing left to fetch from any origin' : `${outstanding} origin entries to fetch; lists and scripts in ${plan.dir}`,
            ...plan.sources.flatMap((recovery) => render(recovery, fetched.get(recovery.source))),
            ...(flags.fetch ? ['next: reconcile scan, then reconcile plan: fetched files that match are proposed for placement'] : []),
          ].join('\n'),
        );
        if ([...fetched.values()].some((result) => result.status === 'failed' || result.status === 'unreachable')) process.exitCode = 1;
      } finally {
        ctx.close();
      }
    });
}
