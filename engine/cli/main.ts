/**
 * `reconcile`: the command-line entry point. Each command lives in commands/<name>.ts and is
 * registered below; a command is listed only once it does real work.
 */
import { Command, CommanderError } from 'commander';
import { isUserError, loadEnv } from '../config/index.ts';
import { projectVersion } from '../project.ts';
import { registerServe } from './commands/serve.ts';
import { registerApply } from './commands/apply.ts';
import { registerWorker } from './commands/worker.ts';
import { registerRollback } from './commands/rollback.ts';
import { registerVerify } from './commands/verify.ts';
import { registerReport } from './commands/report.ts';
import { registerRun } from './commands/run.ts';
import { registerScan } from './commands/scan.ts';
import { registerManifest } from './commands/manifest.ts';
import { registerImport } from './commands/import.ts';
import { registerDemo } from './commands/demo.ts';
import { registerFindings } from './commands/findings.ts';
import { registerPlan } from './commands/plan.ts';
import { registerDecide } from './commands/decide.ts';
import { registerCheckInvariants } from './commands/check-invariants.ts';

export function buildProgram(): Command {
  const program = new Command('reconcile')
    .description('Reconcile partial, overlapping file transfers into one verified, deduplicated mirror.')
    .version(projectVersion(), '-V, --version')
    .option('-c, --config <file>', 'config file (YAML or JSON); default $RECONCILE_CONFIG')
    .option('--json', 'machine-readable output (progress as JSON lines on stderr)')
    .option('-q, --quiet', 'no progress output')
    .showHelpAfterError('(run reconcile --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) })
    .exitOverride();

  registerDemo(program);
  registerScan(program);
  registerManifest(program);
  registerImport(program);
  registerFindings(program);
  registerPlan(program);
  registerDecide(program);
  registerCheckInvariants(program);
  registerServe(program);
  registerApply(program);
  registerWorker(program);
  registerRollback(program);
  registerVerify(program);
  registerReport(program);
  registerRun(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    return reportError(error, argv.includes('--json'));
  }
}

function reportError(error: unknown, json: boolean): number {
  if (error instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    return error.exitCode;
  }
  if (isUserError(error)) {
    if (json) process.stdout.write(`${JSON.stringify({ error: error.message })}\n`);
    else process.stderr.write(`reconcile: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (json) process.stdout.write(`${JSON.stringify({ error: `internal error: ${message}` })}\n`);
  process.stderr.write(`reconcile: internal error: ${message}\n`);
  if (debugEnabled()) process.stderr.write(`${(error as Error).stack}\n`);
  else process.stderr.write('(set RECONCILE_DEBUG=1 for the stack trace)\n');
  return 1;
}

function debugEnabled(): boolean {
  try {
    return loadEnv().RECONCILE_DEBUG;
  } catch {
    return false;
  }
}
