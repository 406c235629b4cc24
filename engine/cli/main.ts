/**
 * `reconcile`: the command-line entry point. Each command lives in commands/<name>.ts and is
 * registered below; a command is listed only once it does real work.
 */
import { Command, CommanderError } from 'commander';
import { isUserError, loadEnv } from '../config/index.ts';
import { projectVersion } from '../project.ts';

type Register = (program: Command) => void;

/**
 * Every command, in the order help lists them. A module is loaded only when its command runs (all
 * of them for help or an unknown word), so a command does not pay for the others' dependencies.
 */
const commandModules: Record<string, () => Promise<Register>> = {
  demo: () => import('./commands/demo.ts').then((module) => module.registerDemo),
  scan: () => import('./commands/scan.ts').then((module) => module.registerScan),
  manifest: () => import('./commands/manifest.ts').then((module) => module.registerManifest),
  import: () => import('./commands/import.ts').then((module) => module.registerImport),
  findings: () => import('./commands/findings.ts').then((module) => module.registerFindings),
  plan: () => import('./commands/plan.ts').then((module) => module.registerPlan),
  decide: () => import('./commands/decide.ts').then((module) => module.registerDecide),
  'check-invariants': () => import('./commands/check-invariants.ts').then((module) => module.registerCheckInvariants),
  serve: () => import('./commands/serve.ts').then((module) => module.registerServe),
  apply: () => import('./commands/apply.ts').then((module) => module.registerApply),
  worker: () => import('./commands/worker.ts').then((module) => module.registerWorker),
  rollback: () => import('./commands/rollback.ts').then((module) => module.registerRollback),
  repair: () => import('./commands/repair.ts').then((module) => module.registerRepair),
  verify: () => import('./commands/verify.ts').then((module) => module.registerVerify),
  recover: () => import('./commands/recover.ts').then((module) => module.registerRecover),
  waive: () => import('./commands/waive.ts').then((module) => module.registerWaive),
  report: () => import('./commands/report.ts').then((module) => module.registerReport),
  run: () => import('./commands/run.ts').then((module) => module.registerRun),
};

/** The program with the named commands (all of them by default). */
export async function buildProgram(names: readonly string[] = Object.keys(commandModules)): Promise<Command> {
  const program = new Command('reconcile')
    .description('Reconcile partial, overlapping file transfers into one verified, deduplicated mirror.')
    .version(projectVersion(), '-V, --version')
    .option('-c, --config <file>', 'config file (YAML or JSON); default $RECONCILE_CONFIG')
    .option('--json', 'machine-readable output (progress as JSON lines on stderr)')
    .option('-q, --quiet', 'no progress output')
    .showHelpAfterError('(run reconcile --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) })
    .exitOverride();
  for (const register of await Promise.all(names.map((name) => commandModules[name]!()))) register(program);
  return program;
}

/**
 * The commands a command line needs: the one it names, none for --version, all for help or an
 * unknown word (so commander can list them or say which is unknown).
 */
export function commandsFor(argv: string[]): string[] | undefined {
  const word = invokedCommand(argv);
  if (word === undefined && (argv.includes('-V') || argv.includes('--version'))) return [];
  return word !== undefined && Object.hasOwn(commandModules, word) ? [word] : undefined;
}

/** The command word on a command line: the first argument that is neither an option nor its value. */
function invokedCommand(argv: string[]): string | undefined {
  for (let index = 2; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--') return undefined;
    if (arg === '-c' || arg === '--config') index += 1;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(commandsFor(argv));
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
