import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { writeManifest } from '../../inventory/index.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';

const flagsSchema = z.object({
  out: z.string().min(1),
  hash: z.boolean().default(false),
});

export function registerManifest(program: Command): void {
  program
    .command('manifest')
    .description('describe a folder on an origin host (paths, sizes, mtimes, optional XXH128) as a gzip JSON-lines manifest')
    .argument('<dir>', 'folder to describe')
    .requiredOption('-o, --out <file>', 'manifest file to write (.jsonl.gz)')
    .option('--hash', 'include the XXH128 of every file (reads all content)')
    .action(async (dir: string, _options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      const summary = await writeManifest({
        dir,
        out: path.resolve(flags.out),
        hash: flags.hash,
        onProgress: (written) => {
          if (ctx.json && !ctx.quiet) process.stderr.write(`${JSON.stringify({ event: 'progress', phase: 'manifest', ...written })}\n`);
        },
      });
      ctx.result(summary, () =>
        [
          `manifest ${summary.out}: ${summary.entries} entries (${summary.files} files) of ${summary.root}${flags.hash ? `, ${summary.hashed} hashed` : ''}`,
          ...summary.skipped.slice(0, 10).map((skipped) => `  left out (${skipped.code}): ${skipped.path}`),
        ].join('\n'),
      );
    });
}
