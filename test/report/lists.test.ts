/**
 * The report lists every item, however many (it stopped at 500 per list, without saying so), and
 * streams them: rendered in pieces, no list held whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { seedReviewCatalog } from '../../bench/api-latency.seed.ts';
import { loadConfig, loadEnv } from '../../engine/config/index.ts';
import { openDatabase } from '../../engine/db/index.ts';
import { buildReport, renderReport } from '../../engine/report/index.ts';
import { tempDir } from '../helpers.ts';

it('lists all 700 conflicts in every format', () => {
  const dir = tempDir('reconcile-report-lists-');
  fs.mkdirSync(path.join(dir, 'space'));
  fs.writeFileSync(path.join(dir, 'reconcile.yaml'), 'space: ./space\n');
  // A conflict per 50 clusters.
  seedReviewCatalog(path.join(dir, 'data', 'reconcile.db'), path.join(dir, 'space'), 35_000);
  const config = loadConfig({ file: path.join(dir, 'reconcile.yaml'), env: loadEnv({ RECONCILE_DATA_DIR: path.join(dir, 'data') }) });
  const db = openDatabase(config.databasePath);
  const report = buildReport(db, config);
  expect(report.conflicts.count).toBe(700);

  const pieces = [...renderReport(report, 'md')];
  expect(pieces.length).toBeGreaterThan(1);
  const markdown = pieces.join('');
  const conflicts = markdown.slice(markdown.indexOf('## Conflicts'), markdown.indexOf('## Placeholders outstanding'));
  expect(conflicts.split('\n').filter((line) => line.startsWith('| /')).length).toBe(700);

  expect([...renderReport(report, 'html')].join('')).toContain('<h2>Conflicts (700)</h2>');
  expect([...renderReport(report, 'csv')].join('').split('\n').filter((line) => line.startsWith('conflict,')).length).toBeGreaterThanOrEqual(700 * 2);
  const json = JSON.parse([...renderReport(report, 'json')].join('')) as { conflicts: unknown[]; placeholders: { outstanding: unknown[] } };
  expect(json.conflicts).toHaveLength(700);
  expect(json.placeholders).toEqual({ outstanding: [] });
  db.close();
});
