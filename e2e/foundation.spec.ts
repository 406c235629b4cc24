// Foundation check: `reconcile scan` on the demo scenario (run by the global setup) fills the
// catalog, and the dashboard lists every configured source with its files.
import { expect, test } from '@playwright/test';
import { api, expectedScenario } from './flow/helpers.ts';

test('the scanned demo catalog has every source and the dashboard shows them', async ({ page, request }) => {
  const { sources } = await api<{ sources: { id: string; files: number }[] }>(request, '/api/sources');
  const expected = expectedScenario().sources;
  expect(sources.map((source) => source.id).sort()).toEqual([...expected].sort());
  for (const source of sources) expect(source.files, source.id).toBeGreaterThan(0);
  await page.goto('/');
  for (const id of expected) await expect(page.getByTestId(`source-${id}`)).toContainText(id);
});
