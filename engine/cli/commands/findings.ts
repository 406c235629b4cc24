import type { Command } from 'commander';
import { z } from 'zod';
import { findingKinds, kindReadsCounterparts, type FindingKind } from '../../classify/index.ts';
import { UserError } from '../../config/index.ts';
import { listFindings, listKind, reusablePlan, type ListedFinding } from '../../plan/index.ts';
import { progressReporter } from '../jobs.ts';
import { createContext, type Context } from '../context.ts';
import { parseFlags } from '../flags.ts';
import { planWithProgress, readCounterpartsAhead, reusedLine } from './plan.ts';

const flagsSchema = z.object({ kind: z.enum(findingKinds).optional(), rebuild: z.boolean().optional() });

export function registerFindings(program: Command): void {
  program
    .command('findings')
    .description('list every problem found, with its evidence and proposal (classifying the catalog when it changed since the last plan)')
    .option('-k, --kind <kind>', `only this kind (${findingKinds.join(', ')}): without a current plan, only the classification it needs runs and no plan is built`)
    .option('--rebuild', 'classify and plan anew even when nothing the latest plan read has changed')
    .action(async (_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      const output = listing(ctx);
      if (flags.kind && !flags.rebuild && !reusablePlan(ctx.db(), ctx.config)) {
        output.start(null, false);
        await listOneKind(ctx, flags.kind, output.add);
      } else {
        const plan = await planWithProgress(ctx, { rebuild: flags.rebuild });
        if (plan.reused) ctx.say(reusedLine(plan));
        output.start(plan.planRunId, plan.reused);
        for (const finding of listFindings(ctx.db(), { kind: flags.kind })) output.add(finding);
      }
      output.end();
      ctx.close();
    });
}

/**
 * One kind classified without a plan (nothing written): the passes it needs, in order, after the
 * counterpart reads they need. The findings come in the classifier's order, as they are found.
 */
async function listOneKind(ctx: Context, kind: FindingKind, add: (finding: ListedFinding) => void): Promise<void> {
  if (ctx.db().prepare('SELECT COUNT(*) FROM Source').pluck().get() === 0) {
    throw new UserError(`the catalog is empty (${ctx.config.databasePath}): run reconcile scan first`);
  }
  const reporter = progressReporter(ctx, 'findings');
  try {
    if (kindReadsCounterparts(kind)) await readCounterpartsAhead(ctx, reporter);
    listKind(ctx.db(), ctx.config, kind, add, { onPass: ({ pass, done, total }) => reporter.update({ phase: pass, done, total, message: `classifying ${kind}` }) });
  } finally {
    reporter.stop();
  }
  ctx.logger.info({ kind }, 'findings: one kind listed without a plan');
}

/** Findings as they come: a JSON document (--json) or one block per finding, then a count. */
function listing(ctx: Context): { start(planRunId: number | null, reused: boolean): void; add(finding: ListedFinding): void; end(): void } {
  let count = 0;
  let fromPlan = true;
  return {
    start(planRunId, reused) {
      fromPlan = planRunId !== null;
      if (ctx.json) process.stdout.write(`{"planRunId":${planRunId},"reused":${reused},"findings":[`);
    },
    add(finding) {
      process.stdout.write(ctx.json ? `${count === 0 ? '' : ','}${JSON.stringify(finding)}` : `${render(finding)}\n`);
      count++;
    },
    end() {
      if (ctx.json) process.stdout.write(']}\n');
      else ctx.say(`${count} finding${count === 1 ? '' : 's'}${fromPlan ? '' : ' (classified without a plan: reconcile plan records them and their proposals for review)'}`);
    },
  };
}

function render(finding: ListedFinding): string {
  const decision = finding.decision ? ` [${finding.decision.verdict}]` : '';
  const head = `${finding.id}  ${finding.kind}/${finding.rule} → ${finding.proposal.action} (${finding.proposal.rule})${decision}`;
  return [head, ...finding.paths.map((item) => `    ${item === finding.proposal.keeper ? '*' : ' '} ${JSON.stringify(item).slice(1, -1)}`)].join('\n');
}
