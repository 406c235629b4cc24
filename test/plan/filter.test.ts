/** The folder filter is a range of the (status, folder) index that still leaves out look-alike siblings. */
import { expect, it } from 'vitest';
import { findingFilterSql } from '../../engine/plan/index.ts';
import { tempDatabase } from '../helpers.ts';

const folders = ['/s/Clients', '/s/Clients/Hosaka', '/s/Clients/Hosaka/2024', '/s/Clients-old', '/s/Clients0', '/s/Clients.bak/x', '/s/Client', '/s/Clientsé'];

function catalog() {
  const { db } = tempDatabase();
  const insert = db.prepare(
    `INSERT INTO Finding (id, kind, rule, pathsJson, sourcesJson, folder, reclaimableBytes, planRunId) VALUES (?, 'duplicate', 'r', '[]', '[]', ?, ?, 1)`,
  );
  // Ties in reclaimable bytes too, so the id decides part of the order.
  for (let index = 0; index < 240; index++) insert.run(`f${String(index).padStart(3, '0')}`, folders[index % folders.length], (index * 7919) % 13);
  return db;
}

const explain = (db: ReturnType<typeof catalog>, sql: string, params: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail).join(' | ');

it('matches a folder and those below it, not siblings that share its name as a prefix', () => {
  const db = catalog();
  for (const folderInListOrder of [false, true]) {
    const { where, params } = findingFilterSql({ folder: '/s/Clients' }, { folderInListOrder });
    const matched = new Set(db.prepare(`SELECT folder FROM Finding f WHERE ${where}`).pluck().all(...params));
    expect([...matched].sort()).toEqual(['/s/Clients', '/s/Clients/Hosaka', '/s/Clients/Hosaka/2024']);
  }
});

it('pages a folder in the same order by the folder index and by the list order, each through its own index', () => {
  const db = catalog();
  const page = (folderInListOrder: boolean, offset: number) => {
    const { where, params } = findingFilterSql({ folder: '/s/Clients/' }, { folderInListOrder });
    // The columns a page reads (the paths are in the row only).
    const sql = `SELECT f.id, f.pathsJson FROM Finding f WHERE ${where} ORDER BY f.reclaimableBytes DESC, f.id ASC LIMIT 25 OFFSET ?`;
    return { ids: db.prepare(sql).pluck().all(...params, offset), plan: explain(db, sql, [...params, offset]) };
  };
  const all: string[] = [];
  for (let offset = 0; offset < 120; offset += 25) {
    const bySeek = page(false, offset);
    const byListOrder = page(true, offset);
    expect(byListOrder.ids).toEqual(bySeek.ids);
    all.push(...(bySeek.ids as string[]));
    expect(bySeek.plan).toContain('Finding_status_folder_idx');
    expect(bySeek.plan).toContain('TEMP B-TREE');
    // Walking the list-order index, which carries the folder (tested there, rows read only for the
    // page): no sort, so a page stops at its last row.
    expect(byListOrder.plan).toContain('Finding_status_reclaimableBytes_id_folder_idx');
    expect(byListOrder.plan).not.toContain('TEMP B-TREE');
  }
  expect(all).toHaveLength(90);
  expect(new Set(all).size).toBe(90);
});
