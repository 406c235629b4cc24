// A displaced copy goes only while the copy kept in its place still holds the content: apply
// re-checks the keeper (stat, then its bytes on the hash workers) right before the step acts.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueApply, executeRun, runOperations } from '../../engine/apply/index.ts';
import { loadConfig, loadEnv } from '../../engine/config/index.ts';
import { readJournal } from '../../engine/journal/index.ts';
import { tempDir } from '../helpers.ts';
import { buildFixture, type Fixture } from './fixture.ts';

const open: Fixture[] = [];
afterEach(() => {
  for (const fixture of open.splice(0)) fixture.close();
});

const twin = (name: string, content: string) => [
  { rel: `mike/${name}.txt`, content: Buffer.from(content) },
  { rel: `mike/kept/${name}.txt`, content: Buffer.from(content) },
];
const archive = (name: string) => [{ op: 'move' as const, from: `mike/${name}.txt`, to: `archive/reconciliation/{run}/mike/${name}.txt`, keeper: `mike/kept/${name}.txt` }];

describe('keeper precondition', () => {
  it('archives a duplicate only while its kept copy still holds the content', async () => {
    const fixture = buildFixture(
      tempDir('reconcile-keeper-'),
      [...twin('deleted', 'alpha'), ...twin('rewritten', 'bravo'), ...twin('touched', 'charlie'), ...twin('intact', 'delta')],
      [archive('deleted'), archive('rewritten'), archive('touched'), archive('intact')],
    );
    open.push(fixture);
    const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' }) });
    const kept = (name: string) => path.join(fixture.space, 'mike/kept', `${name}.txt`);
    // After approval: a sync client deletes one keeper, rewrites another in place (same size,
    // mtime put back, so only the bytes tell), and touches a third without changing it.
    fs.rmSync(kept('deleted'));
    fs.writeFileSync(kept('rewritten'), 'BRAVO');
    fs.utimesSync(kept('rewritten'), 1_700_000_000, 1_700_000_000);
    fs.utimesSync(kept('touched'), 1_800_000_000, 1_800_000_000);

    const queued = enqueueApply(fixture.db, config, 'test');
    if (queued.state === 'nothing') throw new Error('nothing queued');
    const summary = await executeRun(fixture.db, config, queued.run.id, { actor: 'test' });

    expect(summary).toMatchObject({ done: 2, skipped: 2, failed: 0 });
    const byName = new Map(runOperations(fixture.db, queued.run.id).map((op) => [path.basename(op.from!.toString()), op]));
    expect(byName.get('deleted.txt')).toMatchObject({ status: 'skipped', reason: 'keeper-changed' });
    expect(byName.get('rewritten.txt')).toMatchObject({ status: 'skipped', reason: 'keeper-changed' });
    expect(byName.get('touched.txt')!.status).toBe('done');
    expect(byName.get('intact.txt')!.status).toBe('done');
    // The only copies stay where they were; nothing of theirs reached the archive.
    expect(fs.readFileSync(path.join(fixture.space, 'mike/deleted.txt'), 'utf8')).toBe('alpha');
    expect(fs.readFileSync(path.join(fixture.space, 'mike/rewritten.txt'), 'utf8')).toBe('bravo');
    const archived = path.join(fixture.space, 'archive/reconciliation', queued.run.id, 'mike');
    expect(fs.readdirSync(archived).sort()).toEqual(['intact.txt', 'touched.txt']);
    const skips = readJournal(queued.run.journalPath).records.filter((record) => record.t === 'skip');
    expect(skips.map((record) => record.t === 'skip' && record.detail)).toEqual([
      expect.stringMatching(/kept copy .*deleted\.txt is gone/),
      expect.stringMatching(/kept copy .*rewritten\.txt no longer holds the planned content/),
    ]);
  });
});
