import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { buildReport, renderReport, reportFormats } from '../../report/index.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';

const flagsSchema = z.object({
  format: z.enum(reportFormats).default('md'),
  run: z.string().min(1).optional(),
  output: z.string().min(1).optional(),
});

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('audit report of an apply run: completeness, duplicates, conflicts, placeholders, invariants, verification')
    .option('-f, --format <format>', `one of ${reportFormats.join(', ')}`, 'md')
    .option('-r, --run <run>', 'run id, or latest (default: latest)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      try {
        const report = buildReport(ctx.db(), ctx.config, flags.run);
        // --json always means the report object; --format picks the human rendering.
        const text = renderReport(report, ctx.json ? 'json' : flags.format);
        if (flags.output) {
          fs.writeFileSync(flags.output, text);
          ctx.say(`report written to ${flags.output}`);
        } else process.stdout.write(text);
      } finally {
        ctx.close();
      }
    });
}
