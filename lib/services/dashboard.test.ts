// The dashboard's per-source accounting on a real catalog and plan: matches made without an
// inventory hash reach the page as their own count (ADR 0003: weaker evidence is shown).
import path from 'node:path';
import { expect, it, vi } from 'vitest';
import { buildPlan } from '../../engine/plan/index.ts';
import { SpaceFixture } from '../../test/plan/fixture.ts';
import { macWeak, weakMatchSpace } from '../../test/plan/weak-matches.fixture.ts';

vi.mock('server-only', () => ({}));

// The web app reads its database and config through the (cached) environment: set it first.
const fixture = new SpaceFixture();
process.env.RECONCILE_DATA_DIR = fixture.dataDir;
process.env.RECONCILE_CONFIG = path.join(fixture.dir, 'reconcile.yaml');
await weakMatchSpace(fixture);
const { dashboard } = await import('./dashboard.ts');

it('carries the weak (size + mtime only) matches of each source from the latest plan', async () => {
  buildPlan(fixture.db, fixture.config);
  const bySource = new Map((await dashboard()).sources.map((source) => [source.id, source]));
  expect(bySource.get('mac')).toMatchObject({ originFiles: 4, completeness: 0.75, accounting: { present: { files: 3 }, weak: macWeak } });
  expect(bySource.get('m365')?.accounting?.weak).toEqual({ files: 0, bytes: 0 });
});
