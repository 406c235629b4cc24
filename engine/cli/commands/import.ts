import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { importSourceFile, knownSource } from '../../catalog/index.ts';
import { describeEncoding, importTransferLog, type TransferLogImport } from '../../inventory/index.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';

const flagsSchema = z.object({
  source: z.string().min(1),
  log: z.boolean().default(false),
});

export function registerImport(program: Command): void {
  program
    .command('import')
    .description("load a source's origin inventory (reconcile manifest or `rclone lsjson -R --hash` output), or a transfer log with --log")
    .argument('<file>', 'manifest (.jsonl.gz), rclone lsjson output (.json), or with --log an rsync/robocopy/rclone log')
    .requiredOption('-s, --source <id>', 'the source the file describes')
    .option('--log', 'the file is a transfer log (rsync, robocopy, rclone --use-json-log)')
    .action(async (file: string, _options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      const db = ctx.db();
      const absolute = path.resolve(file);
      if (flags.log) {
        const known = knownSource(db, ctx.config, flags.source);
        const logEncoding = ctx.config.sources.find((source) => source.id === flags.source)?.logEncoding;
        const result = await importTransferLog(db, { id: known.id, origin: known.origin ?? undefined, logEncoding }, absolute);
        ctx.result(result, () => describeLogImport(known.id, result));
      } else {
        const result = await importSourceFile(db, ctx.config, flags.source, absolute);
        ctx.result(result, () =>
          result.alreadyImported
            ? `${absolute} was already imported for ${flags.source} (inventory ${result.inventoryId}); nothing changed`
            : `imported ${result.entries} entries (${result.format}; hashes: ${result.hashKinds.join(', ') || 'none'}) for ${flags.source}`,
        );
      }
      ctx.close();
    });
}

/** `N of M transfer errors/warnings … attached`, then the import's warnings, one a line. */
export function describeLogImport(sourceId: string, result: TransferLogImport): string {
  const lines = [
    `${result.matched} of ${result.events} transfer errors/warnings from ${result.file} (${result.tool}, ${describeEncoding(result.encoding)}) attached to ${sourceId}` +
      (result.unmatched > 0 ? `; ${result.unmatched} name nothing ${sourceId} has` : ''),
  ];
  for (const warning of result.warnings) lines.push(`  warning: ${warning.message}`);
  return lines.join('\n');
}
