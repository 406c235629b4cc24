// The whole review flow on the generated demo scenario, in Debian's Chromium: dashboard → each
// kind of finding → approve (single, keyboard, bulk by rule) → apply → verification → report →
// rollback. Every page is saved at 1280×800 and 390×844 into e2e/artifacts/.
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { api, expectedScenario, findings, snap } from './flow/helpers.ts';

test.describe.configure({ mode: 'serial' });

const otherKinds = ['placeholder', 'partial', 'corrupt', 'artifact', 'trash', 'appledouble', 'name-collision', 'unreadable', 'missing'];

test('dashboard shows every source, completeness and the findings per kind', async ({ page, request }) => {
  await page.goto('/');
  for (const source of expectedScenario().sources) await expect(page.getByTestId(`source-${source}`)).toBeVisible();
  const duplicates = await findings(request, 'kind=duplicate');
  await expect(page.getByTestId('finding-counts').getByRole('link', { name: /Duplicates/ })).toContainText(String(duplicates.total));
  await expect(page.getByText(/Invariants:/)).toBeVisible();
  await expect(page.getByTestId('sources-table')).toContainText('%');
  await expect(page.getByTestId('verification-none')).toBeVisible();
  await snap(page, 'dashboard');
});

test('duplicates: the largest cluster first, keeper preselected with its rule, approve', async ({ page, request }) => {
  const { items, total } = await findings(request, 'kind=duplicate');
  expect(total).toBeGreaterThan(0);
  await page.goto('/duplicates');
  await expect(page.getByTestId('list-total')).toHaveText(`${total} duplicate clusters`);
  await expect(page.getByTestId('finding-row')).toHaveCount(Math.min(total, 20));
  // Every folder is shown relative to the space, the space itself too (clusters spanning sources).
  await expect(page.getByTestId('finding-row').getByText(/^\//)).toHaveCount(0);
  await snap(page, 'duplicates');

  const cluster = items.find((item) => item.keeperPath && item.action === 'archive-duplicate');
  expect(cluster, 'a duplicate proposal that archives copies').toBeTruthy();
  await page.goto(`/duplicates/${encodeURIComponent(cluster!.id)}`);
  await expect(page.getByTestId('proposal')).toContainText('decided by rule');
  await expect(page.getByTestId('member-row')).toHaveCount(cluster!.paths.length);
  const keeperRow = page.getByTestId('member-row').filter({ hasText: 'proposed keeper' });
  await expect(keeperRow.getByRole('checkbox')).toBeChecked();
  await expect(page.getByTestId('member-row').filter({ hasNotText: 'proposed keeper' }).first().getByRole('checkbox')).not.toBeChecked();
  await snap(page, 'duplicate-cluster');
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByTestId('decision-bar')).toContainText('approved');
  await expect(page.getByTestId('decision-bar')).toContainText('local@localhost');
});

test('conflicts: one card at a time, text diff, pictures side by side, overwritten versions; settle two', async ({ page, request }) => {
  const { total } = await findings(request, 'kind=conflict');
  expect(total).toBeGreaterThan(0);
  const seen = { text: false, image: false, origin: false };
  for (let index = 0; index < total; index += 1) {
    await page.goto(`/conflicts?i=${index}`);
    await expect(page.getByTestId('queue-position')).toHaveText(`${index + 1} of ${total}`);
    const card = page.getByTestId('conflict-card');
    await expect(card).toBeVisible();
    const heading = (await card.getByRole('heading', { level: 2 }).textContent()) ?? '';
    if (await card.getByTestId('origin-versions').isVisible()) {
      if (!seen.origin) await snap(page, 'conflict-overwritten');
      seen.origin = true;
    }
    if (!seen.text && heading.endsWith('.md') && (await card.getByTestId('version').count()) >= 2) {
      await expect(card.getByTestId('text-diff')).toBeVisible();
      await expect(card.getByTestId('text-diff')).toContainText('+');
      await snap(page, 'conflict-text');
      // The proposed winner is preselected: `w` keeps it and sends the other version to the conflicts folder.
      await expect(card.getByRole('radio', { checked: true })).toHaveCount(1);
      await page.keyboard.press('w');
      await expect(page).toHaveURL(new RegExp(`i=${Math.min(index + 1, total - 1)}`));
      seen.text = true;
    } else if (!seen.image && heading.endsWith('.png') && (await card.getByTestId('version').count()) >= 2) {
      const images = card.getByTestId('image-compare').getByRole('img');
      await expect(images).toHaveCount(2);
      for (const image of await images.all()) await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      await snap(page, 'conflict-image');
      await card.getByRole('button', { name: /Keep both/ }).click();
      await expect(page).toHaveURL(new RegExp(`i=${Math.min(index + 1, total - 1)}`));
      seen.image = true;
    }
  }
  expect(seen).toEqual({ text: true, image: true, origin: true });
  const decided = await findings(request, 'kind=conflict&state=approved');
  expect(decided.total).toBe(2);
});

test('other findings: every kind lists with its evidence; placeholders have recovery lists', async ({ page, request }) => {
  for (const kind of otherKinds) {
    const { total } = await findings(request, `kind=${kind}`);
    await page.goto(`/findings/${kind}`);
    if (total === 0) await expect(page.getByTestId('empty-list')).toBeVisible();
    else await expect(page.getByTestId('list-total')).toContainText(String(total));
    await snap(page, `findings-${kind}`);
  }
  await page.goto('/findings/placeholder');
  const recovery = await api<{ sources: { source: string; kind: string; files: string[] }[] }>(request, '/api/recovery');
  const cloud = recovery.sources.find((source) => source.kind === 'rclone' && source.files.length > 0)!;
  expect(cloud).toBeDefined();
  await expect(page.getByTestId(`recovery-${cloud.source}`)).toBeVisible();
  const file = await request.get(`/api/recovery?source=${cloud.source}`);
  expect(await file.text()).toBe(`${cloud.files.join('\n')}\n`);

  // One placeholder approved from its own page.
  await page.getByTestId('finding-row').first().click();
  await expect(page.getByTestId('proposal')).toBeVisible();
  await snap(page, 'finding-placeholder');
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByTestId('decision-bar')).toContainText('approved');
});

test('decisions: keyboard approve, reject and undo; shortcuts help', async ({ page, request }) => {
  const before = await findings(request, 'kind=name-collision&state=undecided');
  expect(before.total).toBeGreaterThan(2);
  const [first, second] = before.items;
  await page.goto('/decisions?kind=name-collision');
  await expect(page.getByTestId('list-total')).toHaveText(`${before.total} proposals`);
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts-help')).toBeVisible();
  await snap(page, 'decisions-shortcuts');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcuts-help')).toBeHidden();

  await page.keyboard.press('a');
  await expect.poll(async () => (await api<{ verdict: string | null }>(request, `/api/findings/${first!.id}`)).verdict).toBe('approved');
  await expect(page.getByTestId('list-total')).toHaveText(`${before.total - 1} proposals`);
  await page.keyboard.press('r');
  await expect.poll(async () => (await api<{ verdict: string | null }>(request, `/api/findings/${second!.id}`)).verdict).toBe('rejected');

  await page.goto('/decisions?kind=name-collision&state=rejected');
  await expect(page.getByTestId('list-total')).toHaveText('1 proposals');
  await page.keyboard.press('u');
  await expect.poll(async () => (await api<{ verdict: string | null }>(request, `/api/findings/${second!.id}`)).verdict).toBeNull();
  await snap(page, 'decisions');
});

test('decisions: bulk by rule runs on the server after a confirmation', async ({ page, request }) => {
  const filter = 'kind=artifact&action=quarantine-artifact';
  const { count } = await api<{ count: number }>(request, `/api/decisions/bulk?${filter}&state=undecided`);
  expect(count).toBeGreaterThan(0);
  await page.goto(`/decisions?${filter}`);
  let bulkBody = '';
  page.on('request', (sent) => {
    if (sent.url().endsWith('/api/decisions/bulk') && sent.method() === 'POST') bulkBody = sent.postData() ?? '';
  });
  await page.getByTestId('bulk-approve').click();
  await expect(page.getByTestId('bulk-count')).toHaveText(`${count} proposals will be approved.`);
  await snap(page, 'decisions-bulk-confirm');
  await page.getByTestId('bulk-confirm-button').click();
  await expect(page.getByRole('status').filter({ hasText: 'decided' })).toHaveText(`${count} decided.`);
  // The browser sent the filter, not the ids.
  expect(JSON.parse(bulkBody)).toEqual({ filter: { kind: 'artifact', state: 'undecided', action: 'quarantine-artifact' }, verdict: 'approved' });
  expect((await findings(request, `${filter}&state=approved`)).total).toBe(count);
});

test('apply: dry-run preview, start, live progress, verification; then the report', async ({ page, request }) => {
  // The apply job writes the verification after the run has ended. Hold the page at the worst
  // moment: every read of the run lacks the verification until the page has seen the job end,
  // so the verification shows only if the page reads the run again after that.
  let jobEnded = false;
  await page.route(/\/api\/jobs\/\d+$/, async (route) => {
    const response = await route.fetch();
    const job = (await response.json()) as { kind: string; status: string };
    if (job.kind === 'apply' && job.status !== 'queued' && job.status !== 'running') jobEnded = true;
    await route.fulfill({ response, json: job });
  });
  await page.route(/\/api\/apply\/runs\/[^/?]+$/, async (route) => {
    const response = await route.fetch();
    const run = (await response.json()) as Record<string, unknown>;
    await route.fulfill({ response, json: jobEnded ? run : { ...run, verification: null } });
  });
  await page.goto('/apply');
  await expect(page.getByTestId('apply-summary')).toContainText('approved decisions');
  await expect(page.getByTestId('apply-preview').locator('tbody tr').first()).toBeVisible();
  await snap(page, 'apply-preview');
  await page.getByTestId('start-apply').click();
  await expect(page.getByTestId('confirm-apply')).toBeVisible();
  await page.getByTestId('confirm-apply-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('succeeded', { timeout: 90_000 });
  // The demo plants files that never arrived: nothing lost, entries still to fetch.
  await expect(page.getByTestId('verification')).toHaveAttribute('data-outcome', 'outstanding');
  await expect(page.getByTestId('verification')).toContainText('Verification outstanding');
  await expect(page.getByTestId('verification-outstanding')).toContainText('missing');
  await snap(page, 'apply-result');
  // The dashboard shows the same outcome.
  await page.goto('/');
  await expect(page.getByTestId('verification')).toHaveAttribute('data-outcome', 'outstanding');

  await page.goto('/audit');
  await expect(page.getByTestId('audit-table')).toContainText('decision.approved');
  await expect(page.getByTestId('audit-table')).toContainText('local@localhost');
  await snap(page, 'audit');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Markdown' }).click()]);
  const markdown = fs.readFileSync((await download.path())!, 'utf8');
  expect(markdown).toMatch(/^---\n[\s\S]*document_title:/);
  for (const format of ['html', 'json', 'csv']) {
    const response = await request.get(`/api/report?format=${format}`);
    expect(response.status(), format).toBe(200);
    expect((await response.body()).length, format).toBeGreaterThan(100);
  }
});

test('apply: rolling back a run is confirmed and restores it', async ({ page }) => {
  await page.goto('/apply');
  await page.getByTestId('rollback').click();
  await expect(page.getByTestId('confirm-rollback')).toBeVisible();
  await page.getByTestId('confirm-rollback-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('rolled-back', { timeout: 90_000 });
  await snap(page, 'apply-rolled-back');
});
