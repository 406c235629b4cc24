import os from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../config/index.ts';
import { findingKinds } from '../../classify/index.ts';
import { decide, undoDecisions } from '../../plan/index.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';
import { planWithProgress } from './plan.ts';

const collect = (value: string, all: string[] = []) => [...all, ...value.split(',').filter(Boolean)];

const flagsSchema = z.object({
  approve: z.array(z.string().min(1)).optional(),
  reject: z.array(z.string().min(1)).optional(),
  undo: z.array(z.string().min(1)).optional(),
  approveAll: z.boolean().optional(),
  kind: z.enum(findingKinds).optional(),
  source: z.string().min(1).optional(),
});

export function registerDecide(program: Command): void {
  program
    .command('decide')
    .description('approve or reject proposals by finding id (or all open ones of a kind) of the current plan, built first if needed; the web UI is the main way')
    .option('--approve <id...>', 'approve these findings\' proposals', collect)
    .option('--reject <id...>', 'reject these findings\' proposals', collect)
    .option('--undo <id...>', 'remove decisions not yet applied', collect)
    .option('--approve-all', 'approve every undecided open proposal (narrow with --kind, --source)')
    .option('-k, --kind <kind>', 'with --approve-all: only this kind')
    .option('-s, --source <id>', 'with --approve-all: only findings involving this source')
    .action(async (_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      const modes = [flags.approve, flags.reject, flags.undo, flags.approveAll].filter((mode) => mode !== undefined);
      if (modes.length !== 1) throw new UserError('give exactly one of --approve ID..., --reject ID..., --undo ID..., --approve-all');
      if ((flags.kind || flags.source) && !flags.approveAll) throw new UserError('--kind and --source go with --approve-all');
      const actor = `cli:${os.userInfo().username}`;
      const db = ctx.db();
      if (flags.undo) {
        const result = undoDecisions(db, { findingIds: flags.undo, actor });
        ctx.result(result, () => `undid ${result.undone} decision${result.undone === 1 ? '' : 's'}`);
      } else {
        // Decisions are on the current plan's findings (`findings --kind` may have listed them without one).
        await planWithProgress(ctx);
        const result = flags.approveAll
          ? decide(db, { verdict: 'approved', actor, filter: { kind: flags.kind, source: flags.source } })
          : decide(db, { verdict: flags.approve ? 'approved' : 'rejected', actor, findingIds: flags.approve ?? flags.reject });
        ctx.result(result, () => `${result.verdict} ${result.decided} proposal${result.decided === 1 ? '' : 's'} as ${actor}`);
      }
      ctx.close();
    });
}
