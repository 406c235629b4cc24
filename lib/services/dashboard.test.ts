// The dashboard's per-source accounting on a real catalog and plan: matches made without an
// inventory hash reach the page as their own count (ADR 0003: weaker evidence is shown).
import fs from 'node:fs';
import path from 'node:path';
import { expect, it, vi } from 'vitest';
import { importTransferLog } from '../../engine/inventory/index.ts';
import { buildPlan } from '../../engine/plan/index.ts';
import { verify } from '../../engine/verify/index.ts';
import { SpaceFixture } from '../../test/plan/fixture.ts';
import { macWeak, weakMatchSpace } from '../../test/plan/weak-matches.fixture.ts';

vi.mock('server-only', () => ({}));

// The web app reads its database and config through the (cached) environment: set it first.
const fixture = new SpaceFixture();
process.env.RECONCILE_DATA_DIR = fixture.dataDir;
process.env.RECONCILE_CONFIG = path.join(fixture.dir, 'reconcile.yaml');
await weakMatchSpace(fixture);
const { dashboard, openFindingsByKind } = await import('./dashboard.ts');

it('carries the weak (size + mtime only) matches of each source from the latest plan', async () => {
  buildPlan(fixture.db, fixture.config);
  const bySource = new Map((await dashboard()).sources.map((source) => [source.id, source]));
  expect(bySource.get('mac')).toMatchObject({ originFiles: 4, completeness: 0.75, accounting: { present: { files: 3 }, weak: macWeak } });
  expect(bySource.get('m365')?.accounting?.weak).toEqual({ files: 0, bytes: 0 });
});

it('gives the kind tabs the same counts as the dashboard, from the latest plan', async () => {
  const counts = openFindingsByKind();
  expect(counts).toEqual((await dashboard()).findingsByKind);
  const open = fixture.db.prepare(`SELECT kind, count(*) AS n FROM Finding WHERE status = 'open' GROUP BY kind`).all() as { kind: string; n: number }[];
  expect(open.length).toBeGreaterThan(0);
  expect(counts).toEqual(Object.fromEntries(open.map((row) => [row.kind, row.n])));
});

it("shows a source's import warnings on its row (the first few and how many)", async () => {
  const log = path.join(fixture.dir, 'mac.rsync.log');
  const lines = Array.from({ length: 7 }, (_, index) => `rsync: [sender] send_files failed to open "ghost-${index}.txt": Permission denied (13)`);
  fs.writeFileSync(log, `${lines.join('\n')}\n`);
  await importTransferLog(fixture.db, { id: 'mac' }, log);
  const mac = (await dashboard()).sources.find((source) => source.id === 'mac')!;
  expect(mac.importWarnings.count).toBe(7);
  expect(mac.importWarnings.shown).toHaveLength(5);
  expect(mac.importWarnings.shown[0]).toEqual({
    kind: 'unmatched-path',
    file: 'mac.rsync.log',
    lineNo: 1,
    message: 'line 1 names ghost-0.txt, which matches no origin entry and no file in the space: its error (EACCES) is attached to no file',
  });
  expect((await dashboard()).sources.find((source) => source.id === 'm365')!.importWarnings).toEqual({ count: 0, shown: [] });
});

it('shows the latest verification with the outcome reconcile verify gave', async () => {
  expect((await dashboard()).verification).toBeNull();
  const verification = await verify(fixture.db, fixture.config);
  expect((await dashboard()).verification).toMatchObject({ outcome: verification.outcome, checkedAt: verification.checkedAt, runId: null });
});
