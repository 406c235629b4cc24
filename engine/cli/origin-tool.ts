/**
 * `reconcile-manifest.mjs`: `reconcile manifest` as one file for the origin hosts, built into
 * dist/tools/ by `npm run build`. It runs on a bare Node (no install, no native addon): the walk,
 * the format and the output are the CLI's own code; XXH128 comes from WebAssembly and the walk
 * runs on this one thread.
 *
 *   node reconcile-manifest.mjs ~/dev --hash --out count-zero-dev.jsonl.gz
 */
import { Command, CommanderError } from 'commander';
import { isUserError } from '../config/index.ts';
import { FileHasher } from '../hash/content.ts';
import { wasmXxh128 } from '../hash/wasm.ts';
import { manifestCommand } from './commands/manifest.ts';

/** The release it was built from, set by scripts/build-engine.mjs. */
declare const RECONCILE_VERSION: string;

const program = new Command('reconcile-manifest')
  .description('Describe a folder (paths, sizes, mtimes, optional XXH128) as a gzip JSON-lines manifest for Reconcile.')
  .version(RECONCILE_VERSION, '-V, --version')
  .option('--json', 'machine-readable output (progress as JSON lines on stderr)')
  .option('-q, --quiet', 'no progress output')
  .showHelpAfterError('(run node reconcile-manifest.mjs --help for usage)')
  .exitOverride();
manifestCommand(program, { kind: 'inline', hasher: async () => new FileHasher(await wasmXxh128()) });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode;
  else if (isUserError(error)) {
    process.stderr.write(`reconcile-manifest: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`reconcile-manifest: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
