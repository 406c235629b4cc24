import type { Command } from 'commander';
import { z } from 'zod';
import { findingKinds } from '../../classify/index.ts';
import { listFindings, type ListedFinding } from '../../plan/index.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';
import { planWithProgress } from './plan.ts';

const flagsSchema = z.object({ kind: z.enum(findingKinds).optional() });

export function registerFindings(program: Command): void {
  program
    .command('findings')
    .description('classify the catalog and list every problem found, with its evidence and proposal')
    .option('-k, --kind <kind>', `only this kind (${findingKinds.join(', ')})`)
    .action((_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      planWithProgress(ctx);
      if (ctx.json) {
        process.stdout.write('{"findings":[');
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
