/**
 * A bulk decision by filter (the web app's) is one statement however many findings match: it
 * decides again what was decided but not applied, leaves applied findings alone, and audits every
 * decided id, in parts of 1,000.
 */
import path from 'node:path';
import { expect, it } from 'vitest';
import { seedReviewCatalog } from '../../bench/api-latency.seed.ts';
import { openDatabase } from '../../engine/db/index.ts';
import { decide } from '../../engine/plan/index.ts';
import { tempDir } from '../helpers.ts';

it('decides 2,500 findings by filter, re-deciding all but the applied ones, and audits each id', () => {
  const dir = tempDir('reconcile-bulk-');
  const file = path.join(dir, 'reconcile.db');
  // 2,500 clusters; every tenth already decided (approved or rejected).
  seedReviewCatalog(file, path.join(dir, 'space'), 2500);
  const db = openDatabase(file);
  const applied = db.prepare(`SELECT findingId FROM Decision ORDER BY findingId LIMIT 5`).pluck().all() as string[];
  db.prepare(`UPDATE Decision SET appliedRunId = 'R1' WHERE findingId IN (SELECT value FROM json_each(?))`).run(JSON.stringify(applied));

  const result = decide(db, { verdict: 'approved', actor: 'reviewer@example.com', filter: {}, redecide: true });

  expect(result.decided).toBe(2500 - applied.length);
  expect(db.prepare(`SELECT count(*) FROM Decision WHERE verdict = 'approved' AND appliedRunId IS NULL`).pluck().get()).toBe(2500 - applied.length);
  // The applied ones kept their verdict and their run.
  expect(db.prepare(`SELECT count(*) FROM Decision WHERE appliedRunId = 'R1'`).pluck().get()).toBe(applied.length);
  const events = (db.prepare(`SELECT detailsJson FROM AuditEvent WHERE action = 'decision.approved' ORDER BY id`).pluck().all() as string[]).map(
    (json) => JSON.parse(json) as { findingIds: string[]; part: number; parts: number; count: number },
  );
  expect(events.map((event) => [event.part, event.parts])).toEqual([[1, 3], [2, 3], [3, 3]]);
  expect(new Set(events.flatMap((event) => event.findingIds))).toEqual(new Set(result.findingIds));
  expect(result.findingIds.some((id) => applied.includes(id))).toBe(false);
  db.close();
});
