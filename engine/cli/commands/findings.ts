import type { Command } from 'commander';
import { z } from 'zod';
import { findingKinds } from '../../classify/index.ts';
import { listFindings, type ListedFinding } from '../../plan/index.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';
import { planWithProgress, reusedLine } from './plan.ts';

const flagsSchema = z.object({ kind: z.enum(findingKinds).optional(), rebuild: z.boolean().optional() });

export function registerFindings(program: Command): void {
  program
    .command('findings')
    .description('list every problem found, with its evidence and proposal (classifying the catalog when it changed since the last plan)')
    .option('-k, --kind <kind>', `only this kind (${findingKinds.join(', ')})`)
    .option('--rebuild', 'classify and plan anew even when nothing the latest plan read has changed')
    .action(async (_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      const plan = await planWithProgress(ctx, { rebuild: flags.rebuild });
      if (plan.reused) ctx.say(reusedLine(plan));
      if (ctx.json) {
        process.stdout.write(`{"planRunId":${plan.planRunId},"reused":${plan.reused},"findings":[`);
        let first = true;
        for (const finding of listFindings(ctx.db(), { kind: flags.kind })) {
          process.stdout.write(`${first ? '' : ','}${JSON.stringify(finding)}`);
          first = false;
        }
        process.stdout.write(']}\n');
      } else {
        let count = 0;
        for (const finding of listFindings(ctx.db(), { kind: flags.kind })) {
          process.stdout.write(`${render(finding)}\n`);
          count++;
        }
        ctx.say(`${count} finding${count === 1 ? '' : 's'}`);
      }
      ctx.close();
    });
}

function render(finding: ListedFinding): string {
  const decision = finding.decision ? ` [${finding.decision.verdict}]` : '';
  const head = `${finding.id}  ${finding.kind}/${finding.rule} → ${finding.proposal.action} (${finding.proposal.rule})${decision}`;
  return [head, ...finding.paths.map((item) => `    ${item === finding.proposal.keeper ? '*' : ' '} ${JSON.stringify(item).slice(1, -1)}`)].join('\n');
}
