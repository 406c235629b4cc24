import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../config/index.ts';
import { appendCommsLog, buildReport, renderReport, reportFormats } from '../../report/index.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';

const flagsSchema = z.object({
  format: z.enum(reportFormats).default('md'),
  run: z.string().min(1).optional(),
  output: z.string().min(1).optional(),
  append: z.string().min(1).optional(),
});

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('audit report of an apply run: completeness, duplicates, conflicts, recovery, invariants, verification')
    .option('-f, --format <format>', `one of ${reportFormats.join(', ')}`, 'md')
    .option('-r, --run <run>', 'run id, or latest (default: latest)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--append <file>', 'with --format comms-log: put the entry into this communication log (newest first, front matter kept complete)')
    .action((_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      try {
        const report = buildReport(ctx.db(), ctx.config, flags.run);
        if (flags.append) {
          if (flags.format !== 'comms-log') throw new UserError('--append is for --format comms-log (the entry of a communication log)');
          const result = appendCommsLog(flags.append, report);
          ctx.result(result, () => `${result.replaced ? 'replaced' : 'added'} entry ${result.id} in ${result.file}${result.created ? ' (created, with its front matter)' : ''}`);
          return;
        }
        // --json always means the report object; --format picks the human rendering. It is written
        // as it is rendered, in pieces of 64 KiB or more.
        const fd = flags.output ? fs.openSync(flags.output, 'w') : undefined;
        const write = (text: string) => (fd === undefined ? process.stdout.write(text) : fs.writeSync(fd, text));
        try {
          let pending = '';
          for (const piece of renderReport(report, ctx.json ? 'json' : flags.format)) {
            pending += piece;
            if (pending.length >= 65_536) {
              write(pending);
              pending = '';
            }
          }
          write(pending);
        } finally {
          if (fd !== undefined) fs.closeSync(fd);
        }
        if (flags.output) ctx.say(`report written to ${flags.output}`);
      } finally {
        ctx.close();
      }
    });
}
