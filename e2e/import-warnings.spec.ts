// A robocopy log whose summary reports more failures than its lines could be matched to: the
// dashboard's source row says so as an import warning, not as a finding.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { e2ePort } from '../playwright.config.ts';
import { origin, robocopyLogText, unilog, writeLanded, writeManifest } from '../test/catalog/robocopy-fixture.ts';
import { repoRoot, startApp, type AppServer } from './access/stack.ts';

let app: AppServer;
let root: string;

test.beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-e2e-warnings-'));
  writeLanded(path.join(root, 'space/inbox/win'));
  writeManifest(path.join(root, 'wintermute.jsonl.gz'));
  fs.writeFileSync(path.join(root, 'wintermute.log'), unilog(robocopyLogText({ unmatchable: true })));
  const dataDir = path.join(root, 'data');
  const configFile = path.join(root, 'reconcile.yaml');
  fs.writeFileSync(
    configFile,
    `space: space\nsources:\n  - { id: wintermute-mdt, kind: robocopy, class: local, landing: inbox/win, origin: ${JSON.stringify(origin)}, manifest: wintermute.jsonl.gz, logs: [wintermute.log] }\n`,
  );
  const cli = (args: string[]) =>
    execFileSync(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), '--quiet', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', RECONCILE_DATA_DIR: dataDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  cli(['--config', configFile, 'scan']);
  cli(['--config', configFile, 'plan']);
  app = await startApp({ port: e2ePort + 10, env: { RECONCILE_AUTH: 'local' }, configFile, dataDir });
});

test.afterAll(async () => {
  await app?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test("the dashboard shows a source's import warnings on its row", async ({ page }) => {
  await page.goto(`${app.url}/`);
  const warnings = page.getByTestId('source-wintermute-mdt').getByTestId('import-warnings-wintermute-mdt');
  await expect(warnings.locator('summary')).toHaveText('2 import warnings');
  await warnings.locator('summary').click();
  await expect(warnings.getByRole('listitem')).toHaveText([
    /^wintermute\.log: line \d+ names C:\\Users\\mike\\MDT\\Finance\\~\$Ledger\.xlsx, which matches no origin entry and no file in the space/,
    'wintermute.log: the log reports 5 failures; 4 could be matched (robocopy summary: Files FAILED 5)',
  ]);
});
