/** Shared test helpers: temporary folders, a migrated database, and running the real CLI (as root or as nobody). */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../engine/db/index.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..');

export function tempDir(prefix = 'reconcile-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function tempDatabase(): { db: Db; file: string; dataDir: string } {
  const dataDir = tempDir('reconcile-data-');
  const file = path.join(dataDir, 'reconcile.db');
  return { db: openDatabase(file), file, dataDir };
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `reconcile ARGS` from the bundle with its own data directory. */
export function runCli(args: string[], options: { dataDir: string; env?: Record<string, string>; cwd?: string }): CliResult {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, RECONCILE_DATA_DIR: options.dataDir, ...options.env },
    timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The unprivileged user the permission tests run the CLI as (setpriv), so reads fail for real. */
export const nobody = 65534;
const asNobody = [`--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups'];

/** Whether `test EXPRESSION` holds for nobody (-r file, -x folder: the whole path must be reachable). */
function nobodyPasses(...expression: string[]): boolean {
  return spawnSync('setpriv', [...asNobody, 'test', ...expression]).status === 0;
}

/**
 * Why the CLI cannot run as nobody here, or undefined: setpriv needs root, and the tests' temporary
 * folders must be within nobody's reach.
 */
export function nobodyUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to drop to nobody (setpriv)';
  if (!nobodyPasses('-x', os.tmpdir())) return `nobody cannot enter the temporary folder ${os.tmpdir()}`;
  return undefined;
}

let nobodyCli: string | undefined;

/**
 * bin/reconcile.js where nobody can load it. A checkout below a folder nobody cannot enter (a 0700
 * home, a mktemp -d folder) gets a reachable copy in the temporary folder: bin/, dist/, the
 * migrations and the packages the bundle imports (hard links where the file system allows).
 */
function cliForNobody(): string {
  if (nobodyCli) return nobodyCli;
  const inPlace = path.join(repoRoot, 'bin/reconcile.js');
  const modules = path.join(repoRoot, 'node_modules/.package-lock.json');
  if (nobodyPasses('-r', inPlace, '-a', '-r', path.join(repoRoot, 'dist/cli.js'), '-a', '-r', modules)) return (nobodyCli = inPlace);
  const copy = tempDir('reconcile-cli-for-nobody-');
  fs.chmodSync(copy, 0o755);
  for (const part of ['package.json', 'bin', 'dist', 'prisma/migrations', ...bundleDependencies()]) linkTree(path.join(repoRoot, part), path.join(copy, part));
  return (nobodyCli = path.join(copy, 'bin/reconcile.js'));
}

/** node_modules/… folders of the packages dist/ imports, with what they depend on. */
function bundleDependencies(): string[] {
  const dist = path.join(repoRoot, 'dist');
  const specifiers = new Set<string>();
  for (const file of fs.readdirSync(dist).filter((name) => name.endsWith('.js'))) {
    for (const [, specifier] of fs.readFileSync(path.join(dist, file), 'utf8').matchAll(/(?:from|import\(|require\()\s*"([^".][^"]*)"/g)) specifiers.add(specifier!);
  }
  const found = new Set<string>();
  const visit = (name: string, from: string) => {
    for (let dir = from; ; dir = path.dirname(dir)) {
      const folder = path.join(dir, 'node_modules', name);
      if (fs.existsSync(path.join(folder, 'package.json'))) {
        if (found.has(folder)) return;
        found.add(folder);
        const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
        for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dependency, folder);
        return;
      }
      if (dir === repoRoot) return; // an optional package not installed on this platform
    }
  };
  for (const specifier of specifiers) {
    if (builtinModules.includes(specifier) || specifier.startsWith('node:')) continue;
    visit(specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'), repoRoot);
  }
  return [...found].map((folder) => path.relative(repoRoot, folder));
}

/** Recreates `from` at `to`, world-readable: hard links, or copies across file systems. */
function linkTree(from: string, to: string): void {
  const stat = fs.lstatSync(from);
  if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true, mode: 0o755 });
    for (const name of fs.readdirSync(from)) linkTree(path.join(from, name), path.join(to, name));
  } else if (stat.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(from), to);
  } else {
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to);
    }
  }
}

/** Runs `reconcile ARGS` as nobody with its own data directory (which nobody must own). */
export function runCliAsNobody(args: string[], options: { dataDir: string; maxBuffer?: number; timeout?: number }): SpawnSyncReturns<string> {
  return spawnSync('setpriv', [...asNobody, process.execPath, cliForNobody(), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: '/tmp', RECONCILE_DATA_DIR: options.dataDir, NODE_ENV: 'production' },
    maxBuffer: options.maxBuffer,
    timeout: options.timeout,
  });
}
