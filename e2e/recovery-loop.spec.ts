// The recovery loop in the browser, on the demo scenario, signed in through Entra (a local OpenID
// provider): approve all, apply, the verification says outstanding with counts per source; download
// a list (the same bytes `reconcile recover` writes), run one source's command as copied from the
// page, fetch the rest with the fetch job; waive and revoke an entry; rescan and plan with the CLI;
// the recovered files' cards say where they came from; approve the placements, apply: the counts
// move and the outcome is complete. A viewer can neither fetch nor waive.
// Ports: RECONCILE_E2E_PORT + 11 (identity provider) and + 12 (app).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { e2ePort } from '../playwright.config.ts';
import { signedInPage } from './access/fixtures.ts';
import { entraEnv, repoRoot, startApp, startIdentityProvider, users, writeDemoCatalog, type AppServer, type IdentityProvider, type Persona } from './access/stack.ts';

test.describe.configure({ mode: 'serial' });

interface SourceRecovery {
  source: string;
  kind: string;
  origin: string | null;
  files: string[];
  list: string | null;
  command: string | null;
  entries: { path: string }[];
  counts: { outstanding: number; fetched: number; placed: number; waived: number };
}

const missingTools = ['rsync', 'rclone'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);

let dir: string;
let demo: { file: string; dataDir: string };
let app: AppServer;
let idp: IdentityProvider;
let operator: Page;

/** The CLI on the same catalog as the server (what the owner runs on it between browser steps). */
function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), '--config', demo.file, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', RECONCILE_DATA_DIR: demo.dataDir, RCLONE_CONFIG: '/dev/null' },
    encoding: 'utf8',
  });
}

function cliOk(args: string[]): string {
  const result = cli(args);
  expect(result.status, `reconcile ${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(0);
  return result.stdout;
}

async function recovery(page: Page): Promise<SourceRecovery[]> {
  const response = await page.request.get(`${app.url}/api/recovery`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { sources: SourceRecovery[] }).sources;
}

const signedIn = (browser: Browser, persona: Persona) => signedInPage(browser, app, idp, persona);

async function approveAll(page: Page): Promise<void> {
  await page.goto(`${app.url}/decisions?state=undecided`);
  await page.getByTestId('bulk-approve').click();
  await expect(page.getByTestId('bulk-count')).toContainText('will be approved');
  await page.getByTestId('bulk-confirm-button').click();
  await expect(page.getByRole('status').filter({ hasText: 'decided' })).toBeVisible();
}

async function applyApproved(page: Page, outcome: 'outstanding' | 'complete'): Promise<void> {
  await page.goto(`${app.url}/apply`);
  await page.getByTestId('start-apply').click();
  await page.getByTestId('confirm-apply-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('succeeded', { timeout: 90_000 });
  await expect(page.getByTestId('verification')).toHaveAttribute('data-outcome', outcome, { timeout: 60_000 });
}

test.beforeAll(async ({ browser }) => {
  test.skip(missingTools.length > 0, `${missingTools.join(' and ')} not installed: the recovery commands cannot run`);
  test.setTimeout(300_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-e2e-recovery-'));
  demo = writeDemoCatalog(dir);
  idp = await startIdentityProvider(e2ePort + 11);
  app = await startApp({ port: e2ePort + 12, configFile: demo.file, dataDir: demo.dataDir, env: { ...entraEnv({ port: e2ePort + 12 }, idp), RCLONE_CONFIG: '/dev/null' } });
  operator = await signedIn(browser, 'operator');
});

test.afterAll(async () => {
  await app?.stop();
  await idp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('approve all and apply: verification outstanding, with counts per source on the dashboard', async () => {
  await approveAll(operator);
  await applyApproved(operator, 'outstanding');
  await expect(operator.getByTestId('verification')).toContainText('Verification outstanding');
  const sources = (await recovery(operator)).filter((source) => source.files.length > 0);
  expect(sources.length).toBeGreaterThan(3);
  // What is left, per source, on the apply page itself.
  for (const source of sources) await expect(operator.getByTestId(`verification-outstanding-${source.source}`)).toContainText('outstanding');

  await operator.goto(`${app.url}/`);
  await expect(operator.getByTestId('verification')).toHaveAttribute('data-outcome', 'outstanding');
  for (const source of sources) {
    expect(source.counts.outstanding).toBe(source.files.length);
    await expect(operator.getByTestId(`recovery-${source.source}-outstanding`)).toHaveText(String(source.counts.outstanding));
    await expect(operator.getByTestId(`recovery-${source.source}-fetched`)).toHaveText('0');
    await expect(operator.getByTestId(`recovery-${source.source}-placed`)).toHaveText('0');
  }
});

test('a downloaded list is what the CLI writes; the copied command fetches that source', async () => {
  const mac = (await recovery(operator)).find((source) => source.source === 'count-zero-dev')!;
  expect(mac.files.length).toBeGreaterThan(0);
  await operator.goto(`${app.url}/`);
  const row = operator.getByTestId('recovery-count-zero-dev');
  const [download] = await Promise.all([operator.waitForEvent('download'), row.getByTestId('download-list-count-zero-dev').click()]);
  expect(download.suggestedFilename()).toBe('count-zero-dev.from0');
  const downloaded = fs.readFileSync((await download.path())!);

  const written = JSON.parse(cliOk(['--json', 'recover'])) as { sources: SourceRecovery[] };
  const listFile = written.sources.find((source) => source.source === 'count-zero-dev')!.list!;
  expect(listFile).toBe(mac.list);
  expect(downloaded.equals(fs.readFileSync(listFile))).toBe(true);
  expect(downloaded.toString('utf8').split('\0').filter(Boolean)).toEqual(mac.files);

  // The command as the page shows it, copied with its button, run as the owner would.
  const command = row.getByTestId('recovery-command-count-zero-dev');
  await expect(command).toHaveText(mac.command!);
  await row.getByRole('button', { name: 'Copy' }).first().click();
  await expect(row.getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await operator.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(mac.command);
  const run = spawnSync('bash', ['-c', copied], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  for (const file of mac.files) expect(fs.existsSync(path.join(dir, 'demo/space/inbox/recovery/count-zero-dev', file)), file).toBe(true);
});

test('an operator waives an entry with a reason (audited), then revokes it', async () => {
  const source = (await recovery(operator)).find((each) => each.source === 'm365-main-files')!;
  const entry = source.entries[0]!.path;
  await operator.goto(`${app.url}/sources/m365-main-files#recovery`);
  await operator.getByRole('checkbox', { name: `waive ${entry}` }).check();
  await operator.getByTestId('waive-reason').fill('an old draft nobody needs');
  await operator.getByTestId('waive-button').click();
  await expect(operator.getByTestId('recovery-entry-waived')).toContainText(`Waived by ${users.operator.email}: an old draft nobody needs`);
  const audit = (await (await operator.request.get(`${app.url}/api/audit?action=recovery.waived`)).json()) as { items: { actor: string; targetId: string; details: { reason: string } }[] };
  expect(audit.items[0]).toMatchObject({ actor: users.operator.email, targetId: `m365-main-files:${entry}`, details: { reason: 'an old draft nobody needs' } });
  await operator.getByTestId('recovery-waived').getByRole('button', { name: 'Revoke' }).click();
  await expect(operator.getByTestId('recovery-entry-waived')).toHaveCount(0);
  const revoked = (await (await operator.request.get(`${app.url}/api/audit?action=recovery.waiver-revoked`)).json()) as { items: { actor: string }[] };
  expect(revoked.items[0]!.actor).toBe(users.operator.email);
});

test('a viewer can neither fetch nor waive', async ({ browser }) => {
  const viewer = await signedIn(browser, 'viewer');
  const origin = { origin: app.url };
  expect((await viewer.request.post(`${app.url}/api/recovery/fetch`, { data: { sources: [] }, headers: origin })).status()).toBe(403);
  const waiver = { source: 'm365-main-files', paths: ['anything.txt'], reason: 'not mine to decide' };
  expect((await viewer.request.post(`${app.url}/api/recovery/waivers`, { data: waiver, headers: origin })).status()).toBe(403);
  expect((await viewer.request.delete(`${app.url}/api/recovery/waivers`, { data: waiver, headers: origin })).status()).toBe(403);
  await viewer.goto(`${app.url}/`);
  await expect(viewer.getByTestId('start-fetch')).toBeDisabled();
  await viewer.context().close();
});

test('the fetch job brings the rest with progress; rescan and plan; cards say where each came from', async () => {
  const before = await recovery(operator);
  await operator.goto(`${app.url}/`);
  await operator.getByTestId('start-fetch').click();
  await expect(operator.getByTestId('fetch-job')).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  await expect(operator.getByTestId('fetch-job')).toContainText('Next: rescan and plan');

  cliOk(['--quiet', 'scan']);
  cliOk(['--quiet', 'plan']);
  await operator.reload();
  const after = await recovery(operator);
  for (const source of before.filter((each) => each.files.length > 0)) {
    const now = after.find((each) => each.source === source.source)!;
    expect(now.counts.outstanding, source.source).toBe(0);
    expect(now.counts.fetched, source.source).toBe(source.counts.outstanding);
    await expect(operator.getByTestId(`recovery-${source.source}-outstanding`)).toHaveText('0');
    await expect(operator.getByTestId(`recovery-${source.source}-fetched`)).toHaveText(String(now.counts.fetched));
  }

  // A recovered file's card: the origin it came from, how it matched, where it goes.
  const missing = (await (await operator.request.get(`${app.url}/api/findings?kind=missing&limit=100`)).json()) as { items: { id: string }[] };
  let card: { id: string; recovered: { origin: string; status: string }[] } | undefined;
  for (const item of missing.items) {
    const detail = (await (await operator.request.get(`${app.url}/api/findings/${item.id}`)).json()) as NonNullable<typeof card>;
    if (detail.recovered.length > 0) {
      card = detail;
      break;
    }
  }
  expect(card, 'a missing file answered by a fetched copy').toBeDefined();
  await operator.goto(`${app.url}/findings/missing/${encodeURIComponent(card!.id)}`);
  const recovered = operator.getByTestId('recovered-file').first();
  await expect(recovered).toContainText(`Recovered from ${card!.recovered[0]!.origin}`);
  await expect(recovered).toContainText(card!.recovered[0]!.status);
  await expect(recovered).toContainText('once approved and applied');
});

test('approve the placements and apply: the counts move and the outcome is complete', async () => {
  const fetched = (await recovery(operator)).filter((source) => source.counts.fetched > 0);
  await approveAll(operator);
  await applyApproved(operator, 'complete');
  await expect(operator.getByTestId('verification')).toContainText('Verification complete');
  await expect(operator.getByTestId('verification-outstanding')).toHaveCount(0);

  // The recovery counts read the latest plan: the next scan and plan see the placements made.
  cliOk(['--quiet', 'scan']);
  cliOk(['--quiet', 'plan']);
  await operator.goto(`${app.url}/`);
  await expect(operator.getByTestId('verification')).toHaveAttribute('data-outcome', 'complete');
  const settled = await recovery(operator);
  for (const source of fetched) {
    const now = settled.find((each) => each.source === source.source)!;
    expect(now.counts, source.source).toMatchObject({ outstanding: 0, fetched: 0, placed: source.counts.fetched });
    await expect(operator.getByTestId(`recovery-${source.source}-placed`)).toHaveText(String(source.counts.fetched));
    await expect(operator.getByTestId(`recovery-${source.source}-outstanding`)).toHaveText('0');
    await expect(operator.getByTestId(`recovery-${source.source}-fetched`)).toHaveText('0');
  }
  // The CLI agrees with the page.
  const verify = cli(['--json', 'verify']);
  expect(verify.status, verify.stderr).toBe(0);
  expect(JSON.parse(verify.stdout)).toMatchObject({ outcome: 'complete', conservation: { lostCount: 0 }, origins: { outstanding: { files: 0 } } });
});
