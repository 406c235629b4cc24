// ADR 0003 in the browser: a Mac's manifest made without --hash is imported with its source; the
// dashboard says how many files matched by size + mtime only, so a person can ask for hashes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { e2ePort } from '../playwright.config.ts';
import { repoRoot, startApp, type AppServer } from './access/stack.ts';

let app: AppServer;
let root: string;

test.beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-e2e-weak-'));
  const origin = path.join(root, 'mac/dev');
  const landing = path.join(root, 'space/mike');
  const mtime = new Date('2026-01-15T10:00:00Z');
  const files = [['notes.txt', 'meeting notes'], ['budget.csv', 'a,b\n1,2\n'], ['never-copied.txt', 'stayed on the Mac']] as const;
  for (const [name, content] of files) {
    fs.mkdirSync(origin, { recursive: true });
    fs.writeFileSync(path.join(origin, name), content);
    fs.utimesSync(path.join(origin, name), mtime, mtime);
    if (name === 'never-copied.txt') continue;
    fs.mkdirSync(landing, { recursive: true });
    fs.writeFileSync(path.join(landing, name), content);
    fs.utimesSync(path.join(landing, name), mtime, mtime);
  }
  const dataDir = path.join(root, 'data');
  const configFile = path.join(root, 'reconcile.yaml');
  fs.writeFileSync(configFile, `space: space\nsources:\n  - { id: mac, kind: rsync, class: local, landing: mike, origin: ${JSON.stringify(origin)}, manifest: mac.jsonl.gz }\n`);
  const cli = (args: string[]) =>
    execFileSync(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), '--quiet', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', RECONCILE_DATA_DIR: dataDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  cli(['manifest', origin, '--out', path.join(root, 'mac.jsonl.gz')]); // sizes and mtimes, no hashes
  cli(['--config', configFile, 'scan']);
  cli(['--config', configFile, 'plan']);
  app = await startApp({ port: e2ePort + 1, env: { RECONCILE_AUTH: 'local' }, configFile, dataDir });
});

test.afterAll(async () => {
  await app?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('the dashboard says which matches rest on size + mtime only', async ({ page }) => {
  await page.goto(`${app.url}/`);
  const row = page.getByTestId('source-mac');
  await expect(row).toContainText('66.7%');
  await expect(row.getByTestId('weak-matches-mac')).toHaveText('2 matched by size + mtime only (no hash in the inventory)');
  await expect(row.getByTestId('weak-matches-mac')).toHaveAttribute('title', /content was not compared/);
});
