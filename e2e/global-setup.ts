/**
 * Generates the demo scenario into a temporary folder, fills the catalog with the real CLI
 * (`reconcile demo`, `scan`, `plan`), then starts `reconcile serve` (web app + job worker) on it.
 * The scenario folder is handed to specs through RECONCILE_E2E_DIR; the teardown stops the server.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';

const repoRoot = path.resolve(import.meta.dirname, '..');
const cli = path.join(repoRoot, 'bin/reconcile.js');

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-e2e-'));
  const demo = path.join(root, 'demo');
  const configFile = path.join(demo, 'reconcile.yaml');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    RECONCILE_DATA_DIR: path.join(root, 'data'),
    RECONCILE_AUTH: 'local',
    ...(process.env.RECONCILE_WEB_BUILD_DIR ? { RECONCILE_WEB_BUILD_DIR: process.env.RECONCILE_WEB_BUILD_DIR } : {}),
  };
  const run = (args: string[]) => execFileSync(process.execPath, [cli, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
  run(['--quiet', 'demo', '--out', demo]);
  run(['--config', configFile, '--quiet', 'scan']);
  run(['--config', configFile, '--quiet', 'plan']);

  const baseURL = config.projects[0]!.use.baseURL!;
  const port = new URL(baseURL).port;
  const server = spawn(process.execPath, [cli, '--config', configFile, 'serve', '--port', port], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${baseURL}/api/sources`)).ok) break;
    } catch {
      // not listening yet
    }
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`reconcile serve did not come up on ${baseURL}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  process.env.RECONCILE_E2E_DIR = root;
  return async () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
}
