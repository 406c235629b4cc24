// The review services on a real SQLite catalog: keyset paging, filters, bulk decisions by filter
// (exactly the confirmed count, with the actor recorded), undo, and choices apply cannot honour.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { engineDb } from '../db.ts';
import { tempDir } from '../../test/helpers.ts';
import { seedReviewCatalog } from '../../bench/api-latency.seed.ts';

vi.mock('server-only', () => ({}));

const root = tempDir('reconcile-review-');
const space = path.join(root, 'space');
process.env.RECONCILE_DATA_DIR = path.join(root, 'data');
process.env.RECONCILE_CONFIG = path.join(root, 'reconcile.yaml');

const { listFindings, countFindings, getFinding } = await import('./findings.ts');
const { bulkCount, decideBulk, decideOne, undoOne } = await import('./decisions.ts');
const { listAudit } = await import('./audit.ts');
const { ApiError } = await import('../api/respond.ts');

const clusters = 300;
const reviewer = { id: 'r', email: 'reviewer@example.com', name: 'R', roles: ['reviewer' as const], mode: 'entra' as const };

beforeAll(() => {
  fs.mkdirSync(space, { recursive: true });
  fs.writeFileSync(process.env.RECONCILE_CONFIG!, 'space: ./space\n');
  seedReviewCatalog(path.join(root, 'data', 'reconcile.db'), space, clusters);
});

describe('listFindings', () => {
  it('pages through every finding once, largest reclaimable bytes first', () => {
    const seen: { id: string; reclaimableBytes: number }[] = [];
    let cursor: string | undefined;
    const total = countFindings({ kind: 'duplicate' });
    do {
      const page = listFindings({ kind: 'duplicate' }, { cursor, limit: 37 });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((row) => row.id)).size).toBe(total);
    expect(total).toBe(clusters - clusters / 50);
    for (let index = 1; index < seen.length; index += 1) expect(seen[index - 1]!.reclaimableBytes).toBeGreaterThanOrEqual(seen[index]!.reclaimableBytes);
  });

  it('filters by source, folder, size and state', () => {
    const bySource = listFindings({ kind: 'duplicate', source: 'm365' }, { limit: 500 });
    expect(bySource.items.every((row) => row.sources.includes('m365'))).toBe(true);
    const byFolder = listFindings({ folder: 'projects/p7/' }, { limit: 500 });
    expect(byFolder.items.length).toBeGreaterThan(0);
    expect(countFindings({ folder: 'projects/p7/' })).toBe(byFolder.items.length);
    expect(byFolder.items.every((row) => row.folder.startsWith(path.join(space, 'projects/p7/')))).toBe(true);
    const big = listFindings({ kind: 'duplicate', minSize: 40_000_000 }, { limit: 500 });
    expect(big.items.every((row) => (row.size ?? 0) >= 40_000_000)).toBe(true);
    const approved = countFindings({ state: 'approved' });
    const rejected = countFindings({ state: 'rejected' });
    const undecided = countFindings({ state: 'undecided' });
    expect(approved + rejected + undecided).toBe(clusters);
  });

  it('rejects a forged cursor', () => {
    expect(() => listFindings({}, { cursor: 'bm90LWpzb24', limit: 10 })).toThrow(ApiError);
  });
});

describe('decisions', () => {
  it('bulk by rule decides exactly the confirmed count, records the actor and leaves others alone', () => {
    const filter = { kind: 'duplicate' as const, state: 'undecided' as const, keeperUnder: 'devices', othersUnder: 'inbox/' };
    const expected = bulkCount(filter);
    const rows = listFindings(filter, { limit: 500 });
    expect(expected).toBe(rows.items.length);
    expect(expected).toBeGreaterThan(0);
    // The keeper really lies under devices/ and every other copy under inbox/.
    for (const row of rows.items) {
      expect(row.keeperPath!.startsWith(path.join(space, 'devices/'))).toBe(true);
      for (const other of row.paths.filter((member) => member !== row.keeperPath)) expect(other.startsWith(path.join(space, 'inbox/'))).toBe(true);
    }
    const undecidedBefore = countFindings({ state: 'undecided' });
    expect(decideBulk(reviewer, { filter, verdict: 'approved' })).toEqual({ decided: expected });
    expect(countFindings({ state: 'undecided' })).toBe(undecidedBefore - expected);
    const decided = getFinding(rows.items[0]!.id);
    expect(decided).toMatchObject({ verdict: 'approved', decidedBy: 'reviewer@example.com' });
    expect(listAudit({ limit: 5 }).items[0]).toMatchObject({ actor: 'reviewer@example.com', action: 'decision.approved' });
  });

  it('undoes a decision not yet applied', () => {
    const [row] = listFindings({ state: 'undecided', kind: 'duplicate' }, { limit: 1 }).items;
    decideOne(reviewer, { findingId: row!.id, verdict: 'rejected' });
    expect(getFinding(row!.id).verdict).toBe('rejected');
    expect(undoOne(reviewer, row!.id)).toEqual({ undone: 1 });
    expect(getFinding(row!.id).verdict).toBeNull();
    expect(() => undoOne(reviewer, row!.id)).toThrow(ApiError);
  });

  it('records a keep choice that departs from the proposal, with the operations apply will carry out', () => {
    const [row] = listFindings({ state: 'undecided', kind: 'duplicate' }, { limit: 1 }).items;
    const others = row!.paths.filter((member) => member !== row!.keeperPath);
    expect(() => decideOne(reviewer, { findingId: row!.id, verdict: 'approved', choice: { keep: ['/etc/passwd'], archive: [] } })).toThrow(/not in finding/);
    const choice = { keep: [others[0]!], archive: [row!.keeperPath!, ...others.slice(1)] };
    decideOne(reviewer, { findingId: row!.id, verdict: 'approved', choice });
    expect(getFinding(row!.id)).toMatchObject({ verdict: 'approved', choice });
    const stored = engineDb().prepare('SELECT operationsJson FROM Decision WHERE findingId = ?').pluck().get(row!.id) as string;
    expect((JSON.parse(stored) as { from: string }[]).map((operation) => operation.from).sort()).toEqual(choice.archive.sort());
  });
});
