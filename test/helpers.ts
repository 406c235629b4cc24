/** Shared test helpers: temporary folders, a migrated database, and running the real CLI. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
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
