/**
 * `reconcile manifest DIR --out FILE [--hash]`. The same command is the single-file origin tool
 * (engine/cli/origin-tool.ts): `manifestCommand` defines its arguments, options and output for
 * both; only where the walk runs differs (walker threads here, one thread and WebAssembly there).
 * It needs no config and no database: it runs on the origin hosts.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
// The manifest module itself, not the stage's index: the single-file tool bundles this command,
// and the index also brings the importer (native XXH128, the database).
import { writeManifest, type ManifestSummary, type ManifestWalkers } from '../../inventory/manifest.ts';
import { parseFlags } from '../flags.ts';
import { createManifestProgress } from '../manifest-progress.ts';

const flagsSchema = z.object({
  out: z.string().min(1),
  hash: z.boolean().default(false),
});

export function registerManifest(program: Command): void {
  manifestCommand(
    program.command('manifest').description('describe a folder on an origin host (paths, sizes, mtimes, optional XXH128) as a gzip JSON-lines manifest'),
    { kind: 'threads' },
  );
}

/** Adds the manifest's argument, options and action to `command`. */
export function manifestCommand(command: Command, walkers: ManifestWalkers): Command {
  return command
    .argument('<dir>', 'folder to describe')
    .requiredOption('-o, --out <file>', 'manifest file to write (.jsonl.gz)')
    .option('--hash', 'include the XXH128 of every file (reads all content)')
    .action(async (dir: string, _options, self: Command) => {
      const globals = self.optsWithGlobals() as { json?: boolean; quiet?: boolean };
      const json = globals.json === true;
      const flags = parseFlags(flagsSchema, self.opts());
      const progress = createManifestProgress({ json, quiet: globals.quiet === true, hash: flags.hash });
      let program = self;
      while (program.parent) program = program.parent;
      let summary: ManifestSummary;
      try {
        summary = await writeManifest({
          dir,
          out: path.resolve(flags.out),
          hash: flags.hash,
          walkers,
          generator: `${program.name()} ${program.version() ?? ''}`.trim(),
          onProgress: (written) => progress.update(written),
        });
      } finally {
        progress.stop();
      }
      process.stdout.write(`${json ? JSON.stringify(summary) : describeSummary(summary, flags.hash)}\n`);
    });
}

function describeSummary(summary: ManifestSummary, hashed: boolean): string {
  return [
    `manifest ${summary.out}: ${summary.entries} entries (${summary.files} files) of ${summary.root}${hashed ? `, ${summary.hashed} hashed` : ''}`,
    ...summary.skipped.slice(0, 10).map((skipped) => `  not read (${skipped.code}): ${skipped.path}`),
    ...(summary.skipped.length > 10 ? [`  … and ${summary.skipped.length - 10} more (--json lists them all)`] : []),
  ].join('\n');
}
