// Reviewing documents as documents, on the demo scenario in Debian's Chromium: the invoice whose
// older version survives under another folder shows both versions, the changed sentence marked,
// and is decided; the ledger names its changed cell, the contract its changed page, with the
// first pages pictured. The cards are saved under e2e/artifacts/; with RECONCILE_E2E_GUIDES=1 into
// docs/guides/ for the review guide (opt-in, so a test run leaves the tree clean).
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { findings } from './flow/helpers.ts';

test.describe.configure({ mode: 'serial' });

const guides = path.resolve(import.meta.dirname, ...(process.env.RECONCILE_E2E_GUIDES === '1' ? ['..', 'docs', 'guides'] : ['artifacts', 'guides']));
fs.mkdirSync(guides, { recursive: true });

async function openConflict(page: Page, request: Parameters<typeof findings>[0], name: string) {
  const { items } = await findings(request, 'kind=conflict');
  const queue = items.findIndex((item) => item.paths.some((each) => each.endsWith(`/${name}`)) && !item.paths.some((each) => each.includes('/round')));
  expect(queue, `a conflict for ${name}`).toBeGreaterThanOrEqual(0);
  await page.goto(`/conflicts?i=${queue}`);
  const card = page.getByTestId('conflict-card');
  await expect(card.getByRole('heading', { level: 2 })).toContainText(name);
  return { card, finding: items[queue]! };
}

test('a .docx conflict: both versions in the space, the changed sentence marked, decided', async ({ page, request }) => {
  const { card, finding } = await openConflict(page, request, 'Invoice_2023_003.docx');
  // Both versions exist in the space, so both are on the card, each selectable as the winner.
  await expect(card.getByTestId('version')).toHaveCount(2);
  await expect(card.getByRole('radio', { disabled: false })).toHaveCount(2);
  await expect(card.getByTestId('version').filter({ hasText: 'inbox/wintermute-mdt_/OneDrive - MikeT LLC/_MAIN_FILES/' })).toHaveCount(1);
  await expect(card.getByTestId('origin-versions')).not.toContainText('no — overwritten');
  await expect(card.getByText('Only one version is in the space')).toHaveCount(0);
  // The paragraph diff marks the words that changed in the total line.
  const diff = card.getByTestId('text-diff');
  await expect(diff).toContainText('paragraphs');
  await expect(diff).toContainText('Thank you for your business.');
  await expect(diff.getByTestId('word-removed').first()).toBeVisible();
  await expect(diff.getByTestId('word-added').first()).toBeVisible();
  const changedRow = diff.locator('tr[data-difference]');
  await expect(changedRow).toHaveCount(1);
  await expect(changedRow).toContainText('Total due: EUR');
  // `n` moves to the difference.
  await page.keyboard.press('n');
  await expect(changedRow).toHaveAttribute('data-current', 'true');
  await expect(changedRow).toBeFocused();
  await page.screenshot({ path: path.join(guides, 'conflict-docx.png'), fullPage: true });

  // The shortcuts help lists the difference keys.
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts-help')).toContainText('next difference in the diff');
  await page.keyboard.press('Escape');

  // Decide it: the draft under the inbox wins.
  await card.getByTestId('version').filter({ hasText: 'OneDrive - MikeT LLC' }).getByRole('radio').check();
  await card.getByRole('button', { name: 'Keep the chosen winner' }).click();
  await expect(page).not.toHaveURL(/i=0$/);
  const decided = await (await request.get(`/api/findings/${encodeURIComponent(finding.id)}`)).json();
  expect(decided.verdict).toBe('approved');
  expect(decided.choice).toMatchObject({ resolution: 'winner', winner: expect.stringContaining('OneDrive - MikeT LLC') });
  // Leave the queue as the review-flow spec expects it.
  expect((await request.delete(`/api/decisions/${encodeURIComponent(finding.id)}`, { headers: { origin: new URL(page.url()).origin } })).ok()).toBe(true);
});

test('an .xlsx conflict names its changed cell; a .pdf its changed page, first pages side by side', async ({ page, request }) => {
  const ledger = await openConflict(page, request, 'Ledger 2025.xlsx');
  const cells = ledger.card.getByTestId('cells-diff');
  await expect(cells).toContainText('1 cell differ');
  await expect(cells.getByRole('row', { name: /Ledger!B3/ })).toBeVisible();
  await page.screenshot({ path: path.join(guides, 'conflict-xlsx.png'), fullPage: true });

  const agreement = await openConflict(page, request, 'Services agreement.pdf');
  const pages = agreement.card.getByTestId('pages-diff');
  await expect(pages).toContainText('Text differs on page 1.');
  await expect(pages).toContainText('Term: 24 months');
  const thumbnails = pages.getByRole('img');
  await expect(thumbnails).toHaveCount(2);
  for (const image of await thumbnails.all()) await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  await page.screenshot({ path: path.join(guides, 'conflict-pdf.png'), fullPage: true });
});

test('a picture conflict counts the differing pixels and overlays them', async ({ page, request }) => {
  const logo = await openConflict(page, request, 'logo.png');
  const compare = logo.card.getByTestId('image-compare');
  await expect(compare.getByTestId('pixel-count')).toContainText('pixels differ');
  await compare.getByRole('checkbox').check();
  const overlay = compare.getByTestId('pixel-overlay');
  await expect.poll(() => overlay.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  await page.screenshot({ path: path.join(guides, 'conflict-image.png'), fullPage: true });
});
