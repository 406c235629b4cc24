// The origin tools in the browser, signed in through Entra (a local OpenID provider): a source page
// reached from the dashboard offers the manifest tool and the Windows script with their SHA-256
// and the exact command; an operator downloads them and uploads a manifest that is imported for
// the source. Ports: RECONCILE_E2E_PORT + 5 (identity provider) and + 6 (app).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect, test, type Browser } from '@playwright/test';
import { e2ePort } from '../playwright.config.ts';
import { signedInPage } from './access/fixtures.ts';
import { entraEnv, repoRoot, startApp, startIdentityProvider, users, writeDemoCatalog, type AppServer, type IdentityProvider, type Persona } from './access/stack.ts';

let dir: string;
let app: AppServer;
let idp: IdentityProvider;

const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');
const release = (file: string) => fs.readFileSync(path.join(repoRoot, file));

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-e2e-origin-'));
  const demo = writeDemoCatalog(dir);
  idp = await startIdentityProvider(e2ePort + 5);
  app = await startApp({ port: e2ePort + 6, configFile: demo.file, dataDir: demo.dataDir, env: entraEnv({ port: e2ePort + 6 }, idp) });
});

test.afterAll(async () => {
  await app?.stop();
  await idp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const signedIn = (browser: Browser, persona: Persona) => signedInPage(browser, app, idp, persona);

test('an operator downloads the manifest tool and the Windows script, with the checksum and the command shown', async ({ browser }) => {
  const page = await signedIn(browser, 'operator');
  await page.getByTestId('sources-table').getByRole('link', { name: 'count-zero-dev', exact: true }).click();
  await expect(page).toHaveURL(`${app.url}/sources/count-zero-dev`);
  await expect(page.getByRole('heading', { name: 'Make the manifest on count-zero' })).toBeVisible();

  const tool = page.getByTestId('origin-file-reconcile-manifest.mjs');
  const toolSha = sha256(release('dist/tools/reconcile-manifest.mjs'));
  await expect(tool.getByTestId('sha256-reconcile-manifest.mjs')).toHaveText(toolSha);
  const command = "node reconcile-manifest.mjs '/Users/miket/dev/' --hash --out count-zero-dev.jsonl.gz";
  await expect(tool.getByTestId('command-reconcile-manifest.mjs')).toHaveText(command);
  await tool.getByRole('button', { name: 'Copy' }).click();
  await expect(tool.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
  const [toolDownload] = await Promise.all([page.waitForEvent('download'), tool.getByRole('link', { name: 'Download reconcile-manifest.mjs' }).click()]);
  expect(toolDownload.suggestedFilename()).toBe('reconcile-manifest.mjs');
  expect(sha256(fs.readFileSync((await toolDownload.path())!))).toBe(toolSha);

  await page.goto(`${app.url}/sources/wintermute-mdt`);
  const script = page.getByTestId('origin-file-reconcile-manifest.ps1');
  const scriptSha = sha256(release('deploy/origin/reconcile-manifest.ps1'));
  await expect(script.getByTestId('sha256-reconcile-manifest.ps1')).toHaveText(scriptSha);
  await expect(script.getByTestId('command-reconcile-manifest.ps1')).toHaveText(
    "powershell -ExecutionPolicy Bypass -File .\\reconcile-manifest.ps1 -Path 'C:\\Users\\mike\\MDT' -Out wintermute-mdt.jsonl.gz -Sha1",
  );
  const [scriptDownload] = await Promise.all([page.waitForEvent('download'), script.getByRole('link', { name: 'Download reconcile-manifest.ps1' }).click()]);
  expect(sha256(fs.readFileSync((await scriptDownload.path())!))).toBe(scriptSha);
  await page.context().close();
});

test('a viewer sees the checksums but may not download', async ({ browser }) => {
  const page = await signedIn(browser, 'viewer');
  await page.goto(`${app.url}/sources/count-zero-dev`);
  await expect(page.getByTestId('sha256-reconcile-manifest.mjs')).toHaveText(sha256(release('dist/tools/reconcile-manifest.mjs')));
  await expect(page.getByRole('link', { name: /^Download / })).toHaveCount(0);
  await expect(page.getByText('Operators can upload a manifest for this source.')).toBeVisible();
  const refused = await page.request.get(`${app.url}/api/origin-files/reconcile-manifest.mjs`);
  expect(refused.status()).toBe(403);
  await page.context().close();
});

test('an operator uploads a manifest made by the tool, and it is imported for its source', async ({ browser }) => {
  // A manifest as the owner makes it: the downloaded tool, alone in a folder, on a folder of the Mac.
  const origin = path.join(dir, 'mac-dev');
  for (const [name, content] of [['notes.txt', 'meeting notes'], ['src/app.ts', 'export {};\n'], ['src/lib/util.ts', '// util\n']]) {
    fs.mkdirSync(path.dirname(path.join(origin, name!)), { recursive: true });
    fs.writeFileSync(path.join(origin, name!), content!);
  }
  const tools = path.join(dir, 'downloads');
  fs.mkdirSync(tools);
  fs.copyFileSync(path.join(repoRoot, 'dist/tools/reconcile-manifest.mjs'), path.join(tools, 'reconcile-manifest.mjs'));
  execFileSync(process.execPath, ['reconcile-manifest.mjs', origin, '--hash', '--out', 'count-zero-dev.jsonl.gz', '--quiet'], { cwd: tools, env: { PATH: process.env.PATH, NODE_ENV: 'production' } });
  const manifest = path.join(tools, 'count-zero-dev.jsonl.gz');

  const page = await signedIn(browser, 'operator');
  await page.goto(`${app.url}/sources/count-zero-dev`);
  const latest = page.getByTestId('inventory-latest');
  await expect(latest).not.toContainText('manifests/uploads');

  // A broken manifest first: refused with the line that is wrong, nothing imported.
  const broken = path.join(tools, 'broken.jsonl.gz');
  const lines = zlib.gunzipSync(fs.readFileSync(manifest)).toString('utf8').split('\n');
  fs.writeFileSync(broken, zlib.gzipSync([lines[0], '{"path":"../outside","type":"file","size":1,"mtimeNs":"1"}'].join('\n')));
  await page.getByLabel('Manifest file').setInputFiles(broken);
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'upload' })).toHaveText('the upload:2: path: must be a relative path without ..');

  await page.getByLabel('Manifest file').setInputFiles(manifest);
  await page.getByRole('button', { name: 'Upload and import' }).click();
  const result = page.getByTestId('upload-result');
  await expect(result).toContainText('Imported 5 entries (reconcile-manifest; hashes: xxh128)');
  await expect(result).toContainText(sha256(fs.readFileSync(manifest)));
  await expect(latest).toContainText('5 entries (reconcile-manifest; hashes: xxh128)');
  await expect(latest).toContainText('manifests/uploads/count-zero-dev-');

  const audit = (await (await page.request.get(`${app.url}/api/audit?action=inventory.uploaded`)).json()) as { items: { actor: string; targetId: string; details: { entries: number } }[] };
  expect(audit.items).toEqual([expect.objectContaining({ actor: users.operator.email, targetId: 'count-zero-dev', details: expect.objectContaining({ entries: 5 }) })]);
  await page.context().close();
});
