/** Shared by the review-flow specs: the scenario folder, API reads and page screenshots. */
import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';

const artifacts = path.resolve(import.meta.dirname, '..', 'artifacts');
const viewports = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

export function scenarioDir(): string {
  const dir = process.env.RECONCILE_E2E_DIR;
  if (!dir) throw new Error('RECONCILE_E2E_DIR is not set: the global setup did not run');
  return dir;
}

export function expectedScenario(): { sources: string[]; findings: { kind: string; paths: string[] }[] } {
  return JSON.parse(fs.readFileSync(path.join(scenarioDir(), 'demo', 'expected.json'), 'utf8'));
}

/** Saves the page at the desktop and the phone viewport, then restores the desktop one. */
export async function snap(page: Page, name: string): Promise<void> {
  fs.mkdirSync(artifacts, { recursive: true });
  for (const viewport of viewports) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(artifacts, `${name}-${viewport.width}x${viewport.height}.png`), fullPage: true });
  }
  await page.setViewportSize(viewports[0]!);
}

export async function api<T>(request: APIRequestContext, url: string): Promise<T> {
  const response = await request.get(url);
  if (!response.ok()) throw new Error(`${url}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

export interface FindingRow {
  id: string;
  kind: string;
  paths: string[];
  keeperPath: string | null;
  action: string | null;
  verdict: string | null;
}

export async function findings(request: APIRequestContext, query: string): Promise<{ items: FindingRow[]; total: number }> {
  const [page, count] = await Promise.all([
    api<{ items: FindingRow[] }>(request, `/api/findings?limit=500&${query}`),
    api<{ total: number }>(request, `/api/findings/count?${query}`),
  ]);
  return { items: page.items, total: count.total };
}
