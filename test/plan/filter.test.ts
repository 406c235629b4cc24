/** The folder filter is a range of the (status, folder) index that still leaves out look-alike siblings. */
import { expect, it } from 'vitest';
import { findingFilterSql } from '../../engine/plan/index.ts';
import { tempDatabase } from '../helpers.ts';

it('matches a folder and those below it, not siblings that share its name as a prefix', () => {
  const { db } = tempDatabase();
  const insert = db.prepare(`INSERT INTO Finding (id, kind, rule, pathsJson, sourcesJson, folder, planRunId) VALUES (?, 'duplicate', 'r', '[]', '[]', ?, 1)`);
  const folders = ['/s/Clients', '/s/Clients/Hosaka', '/s/Clients/Hosaka/2024', '/s/Clients-old', '/s/Clients0', '/s/Clients.bak/x', '/s/Client', '/s/Clientsé'];
  folders.forEach((folder, index) => insert.run(`f${index}`, folder));
  const { where, params } = findingFilterSql({ folder: '/s/Clients' });
  const matched = db.prepare(`SELECT folder FROM Finding f WHERE ${where} ORDER BY folder`).pluck().all(...params);
  expect(matched).toEqual(['/s/Clients', '/s/Clients/Hosaka', '/s/Clients/Hosaka/2024']);
  const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT f.id FROM Finding f WHERE ${where} ORDER BY f.reclaimableBytes DESC, f.id LIMIT 100`).all(...params) as { detail: string }[];
  expect(plan.map((row) => row.detail).join(' ')).toContain('Finding_status_folder_idx');
});
