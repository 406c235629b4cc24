import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../config/index.ts';
import { listWaivers, revokeWaivers, waive, type Waiver } from '../../recover/index.ts';
import { actorName } from '../actor.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';

const flagsSchema = z.object({
  source: z.string().min(1).optional(),
  reason: z.string().optional(),
  by: z.string().min(1).optional(),
  pathsFrom: z.string().min(1).optional(),
  list: z.boolean().default(false),
  revoke: z.boolean().default(false),
  all: z.boolean().default(false),
});

/** Paths from a file: NUL-separated when it holds a NUL (a recover list), else one a line. */
function readPaths(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`--paths-from ${file}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  return (text.includes('\0') ? text.split('\0') : text.split('\n')).map((line) => line.replace(/^\.\/(?=[#;])/, '')).filter((line) => line !== '');
}

const line = (waiver: Waiver) =>
  `${waiver.source}  ${waiver.relPath}  — ${waiver.reason} (${waiver.decidedBy}, ${waiver.decidedAt.slice(0, 16).replace('T', ' ')})${waiver.revokedAt ? `  revoked by ${waiver.revokedBy} ${waiver.revokedAt.slice(0, 16).replace('T', ' ')}` : ''}`;

export function registerWaive(program: Command): void {
  program
    .command('waive')
    .description('decide not to recover origin entries (with a reason, recorded in the audit trail); --list, --revoke')
    .argument('[path...]', 'origin-relative paths, as reconcile recover lists them')
    .option('-s, --source <id>', 'the source whose origin holds them')
    .option('-r, --reason <text>', 'why they are not worth recovering (required to waive)')
    .option('--by <name>', 'who decided (default: the user running the command)')
    .option('--paths-from <file>', 'read the paths from a file (a recover list, NUL-separated, or one a line)')
    .option('--list', 'list the waivers in force (with --all the revoked ones too)')
    .option('--all', 'with --list: also the revoked waivers')
    .option('--revoke', 'revoke the waivers of these paths: they are to fetch again')
    .action((paths: string[], _options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      try {
        const db = ctx.db();
        if (flags.list) {
          const waivers = listWaivers(db, { source: flags.source, includeRevoked: flags.all });
          ctx.result({ waivers }, () => (waivers.length === 0 ? 'no waivers' : waivers.map(line).join('\n')));
          return;
        }
        if (!flags.source) throw new UserError('name the source: --source ID');
        const all = [...paths, ...(flags.pathsFrom ? readPaths(flags.pathsFrom) : [])];
        const actor = flags.by ?? actorName();
        if (flags.revoke) {
          const revoked = revokeWaivers(db, ctx.config, { source: flags.source, paths: all, actor });
          ctx.result({ revoked }, () => `revoked ${revoked.length} waiver(s): those entries are to fetch again (reconcile recover)`);
          return;
        }
        if (flags.reason === undefined) throw new UserError('a waiver needs a reason: --reason "why this is not worth recovering"');
        const result = waive(db, ctx.config, { source: flags.source, paths: all, reason: flags.reason, actor });
        ctx.result(result, () =>
          [
            `waived ${result.waived.length} origin entr${result.waived.length === 1 ? 'y' : 'ies'} of ${flags.source} (decided by ${actor}); verify counts them as accounted for and lists them`,
            ...result.waived.map((waiver) => `  ${waiver.relPath}`),
            ...(result.alreadyWaived.length > 0 ? [`already waived: ${result.alreadyWaived.join(', ')}`] : []),
          ].join('\n'),
        );
      } finally {
        ctx.close();
      }
    });
}
