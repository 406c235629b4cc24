/**
 * The dashboard's per-source figures are kept, not counted per request: a scan, an import and a
 * plan count their part; a rescan that changed nothing moves the record on without counting; a
 * reader recounts only a part whose input moved on (a value planted in the table shows which
 * path answered).
 */
import { describe, expect, it } from 'vitest';
import { refreshCatalog, sourceStats } from '../../engine/catalog/index.ts';
import { buildPlan } from '../../engine/plan/index.ts';
import { configuredSources } from '../../engine/scan/index.ts';
import { SpaceFixture, twoSources } from '../plan/fixture.ts';

async function space(): Promise<SpaceFixture> {
  const fixture = new SpaceFixture();
  fixture.configure(twoSources);
  fixture.write('mike/brand/logo.png', 'logo bytes');
  fixture.write('inbox/wm/brand/logo.png', 'logo bytes');
  fixture.write('inbox/wm/docs/plan.txt', 'version two!');
  return fixture;
}

const refresh = (fixture: SpaceFixture) => refreshCatalog(fixture.db, { sources: configuredSources(fixture.config), xattrs: false, hashWorkers: 1 });
const plant = (fixture: SpaceFixture, sourceId: string, files: number) => fixture.db.prepare('UPDATE SourceStats SET files = ? WHERE sourceId = ?').run(files, sourceId);

describe('source figures', () => {
  it('are counted by the scan, and kept by a rescan that changed nothing', async () => {
    const fixture = await space();
    await refresh(fixture);
    expect(sourceStats(fixture.db).get('wintermute')).toMatchObject({ files: 2, bytes: 22, unreadable: 0 });
    expect(sourceStats(fixture.db).get('motoko')).toMatchObject({ files: 1, bytes: 10 });

    plant(fixture, 'wintermute', 1000);
    await refresh(fixture);
    // Nothing changed: the rescan moved the record on without counting again.
    expect(sourceStats(fixture.db).get('wintermute')?.files).toBe(1000);

    fixture.write('inbox/wm/docs/new.txt', 'another file');
    await refresh(fixture);
    expect(sourceStats(fixture.db).get('wintermute')).toMatchObject({ files: 3, bytes: 34 });
  });

  it('count the open findings per source and kind when a plan is built', async () => {
    const fixture = await space();
    await refresh(fixture);
    buildPlan(fixture.db, fixture.config);
    expect(sourceStats(fixture.db).get('motoko')?.findings).toEqual({ duplicate: 1 });
    expect(sourceStats(fixture.db).get('wintermute')?.findings).toMatchObject({ duplicate: 1 });

    fixture.db.prepare(`UPDATE SourceStats SET findingsJson = '{"duplicate":7}' WHERE sourceId = 'motoko'`).run();
    expect(sourceStats(fixture.db).get('motoko')?.findings).toEqual({ duplicate: 7 });
    buildPlan(fixture.db, fixture.config);
    expect(sourceStats(fixture.db).get('motoko')?.findings).toEqual({ duplicate: 1 });
  });

  it('are recounted on reading when their input moved on by other means', async () => {
    const fixture = await space();
    await refresh(fixture);
    fixture.origin('motoko', [
      { relPath: 'brand/logo.png', size: 10 },
      { relPath: 'brand/gone.png', size: 5 },
    ]);
    expect(sourceStats(fixture.db).get('motoko')).toMatchObject({ originFiles: 2, originBytes: 15 });
    // A scan not run through refreshCatalog (lastScanId moved on): counted on the next read.
    plant(fixture, 'motoko', 99);
    fixture.db.prepare(`UPDATE Source SET lastScanId = lastScanId + 1 WHERE id = 'motoko'`).run();
    expect(sourceStats(fixture.db).get('motoko')?.files).toBe(1);
  });
});
