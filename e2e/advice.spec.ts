// Assist-only AI in the browser: the conflict card shows advice from a local OpenAI-compatible test
// gateway, labelled as not a decision, with nothing in it that decides; a failing gateway leaves
// the card working; without a gateway the panel is absent. Nothing is decided or queued by advice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openDatabase, type Db } from '../engine/db/index.ts';
import { seedAdviceCatalog, writeAdviceScenario, type AdviceScenario } from '../test/ai/fixture.ts';
import { startTestGateway, type TestGateway } from '../test/ai/openai-test-server.ts';
import { chromium } from './access/fixtures.ts';
import { startApp, type AppServer } from './access/stack.ts';
import { e2ePort } from '../playwright.config.ts';

test.use({ launchOptions: chromium });
// Serial: the tests share two app servers and a gateway. Generous timeout: the 2-core machine is shared.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

let gateway: TestGateway;
let scenario: AdviceScenario;
let withAi: AppServer;
let withoutAi: AppServer;
const databases: Db[] = [];

/** The suite's port (RECONCILE_E2E_PORT) +7 to +9 belong to these specs (e2e/access/stack.ts lists the others). */
function advicePorts(parallelIndex: number) {
  if (parallelIndex > 0) throw new Error('the advice specs run in one Playwright worker (playwright.config.ts: workers: 1)');
  const base = e2ePort + 7;
  return { gateway: base, withAi: base + 1, withoutAi: base + 2 };
}

async function seededApp(port: number, env: Record<string, string>): Promise<AppServer> {
  const app = await startApp({ port, configFile: scenario.configFile, env: { RECONCILE_AUTH: 'local', ...env } });
  const db = openDatabase(path.join(app.dataDir, 'reconcile.db'));
  seedAdviceCatalog(db, scenario);
  databases.push(db);
  return app;
}

function rows(app: AppServer, sql: string): unknown[] {
  return databases[app === withAi ? 0 : 1]!.prepare(sql).all();
}

test.beforeAll(async ({}, testInfo) => {
  const ports = advicePorts(testInfo.parallelIndex);
  gateway = await startTestGateway([ports.gateway, ports.gateway]);
  scenario = writeAdviceScenario(fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-advice-e2e-')));
  // A generous budget: these tests are about the answer, not speed, on a busy 2-core machine
  // (timeouts themselves are tested against a slow gateway in test/ai).
  withAi = await seededApp(ports.withAi, { RECONCILE_AI_BASE_URL: gateway.baseUrl, RECONCILE_AI_MODEL: 'test-model', RECONCILE_AI_TIMEOUT_MS: '20000' });
  withoutAi = await seededApp(ports.withoutAi, {});
});

test.afterAll(async () => {
  for (const db of databases) db.close();
  await Promise.all([withAi?.stop(), withoutAi?.stop(), gateway?.close()]);
});

test('the conflict card shows labelled advice beside the evidence, and nothing is decided', async ({ page }, testInfo) => {
  gateway.behaviour = 'advice';
  await page.goto(`${withAi.url}/conflicts`);
  const card = page.getByTestId('conflict-card');
  const panel = card.getByTestId('advice-panel');
  await expect(panel.getByRole('heading', { name: 'AI advice — not a decision' })).toBeVisible();
  // Generous timeouts: the shared 2-core machine can be slow to build the prompt and answer.
  await expect(panel.getByTestId('advice-text')).toContainText('Version B rewrites every line.', { timeout: 30_000 });
  await expect(panel.getByText('Likely near-duplicates')).toBeVisible();
  await expect(card.getByTestId('proposal')).toBeVisible(); // the evidence stays beside it
  await expect(panel.getByRole('button')).toHaveCount(0); // advice offers no way to decide
  await expect(panel.getByRole('radio')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('advice-conflict-card.png'), fullPage: true });
  expect(rows(withAi, "SELECT actor, targetId FROM AuditEvent WHERE action = 'advice.shown'")).toEqual([{ actor: 'local@localhost', targetId: 'conflict-plan' }]);
  expect(rows(withAi, 'SELECT id FROM Decision')).toEqual([]);
  expect(rows(withAi, 'SELECT id FROM Job')).toEqual([]);
});

test('the duplicate cluster view shows advice too, and no credential file content leaves the server', async ({ page }) => {
  gateway.behaviour = 'advice';
  const asked = gateway.requests.length;
  await page.goto(`${withAi.url}/duplicates/duplicate-env`);
  const panel = page.getByTestId('advice-panel');
  await expect(panel.getByRole('heading', { name: 'AI advice — not a decision' })).toBeVisible();
  await expect(panel.getByTestId('advice-text')).toContainText('Version B rewrites every line.', { timeout: 30_000 });
  const sent = gateway.requests.slice(asked).map((request) => request.body);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toContain('.env');
  expect(sent[0]).not.toContain(scenario.secretValue);
});

test('a failing gateway leaves the card working', async ({ page }, testInfo) => {
  gateway.behaviour = 'status-500';
  await page.goto(`${withAi.url}/conflicts`);
  const card = page.getByTestId('conflict-card');
  await expect(card.getByTestId('advice-unavailable')).toContainText('Advice unavailable: the AI gateway answered 500', { timeout: 30_000 });
  await expect(card.getByRole('button', { name: 'Keep both (other to conflicts folder)' })).toBeEnabled();
  await expect(card.getByRole('button', { name: 'Defer' })).toBeEnabled();
  await page.screenshot({ path: testInfo.outputPath('advice-unavailable.png'), fullPage: true });
  gateway.behaviour = 'advice';
  await card.getByRole('button', { name: 'Ask again' }).click();
  await expect(card.getByTestId('advice-text')).toContainText('Version B rewrites every line.', { timeout: 30_000 });
});

test('without a gateway there is no advice panel', async ({ page }) => {
  const asked = gateway.requests.length;
  await page.goto(`${withoutAi.url}/conflicts`);
  await expect(page.getByTestId('conflict-card')).toBeVisible();
  await expect(page.getByTestId('conflict-card').getByTestId('proposal')).toBeVisible();
  await expect(page.getByTestId('advice-panel')).toHaveCount(0);
  expect(gateway.requests.length).toBe(asked);
  expect(rows(withoutAi, "SELECT id FROM AuditEvent WHERE action = 'advice.shown'")).toEqual([]);
});
