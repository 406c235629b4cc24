// Apply and rollback never create a name that differs from an existing one only by case or
// Unicode normalisation: on the Mac and Windows clients that sync the space they are one file.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueApply, executeRun, rollbackRun, runOperations } from '../../engine/apply/index.ts';
import { loadConfig, loadEnv } from '../../engine/config/index.ts';
import { tempDir } from '../helpers.ts';
import { buildFixture, type Fixture } from './fixture.ts';

const open: Fixture[] = [];
afterEach(() => {
  for (const fixture of open.splice(0)) fixture.close();
});

describe('case and normalisation twins', () => {
  it('skips a step whose destination would twin an existing name; the archive mirrors sources as they are', async () => {
    const nfd = 'Cafe\u0301.txt';
    const nfc = 'Caf\u00e9.txt';
    const fixture = buildFixture(
      tempDir('reconcile-twins-'),
      [
        { rel: 'mike/docs/report.txt', content: Buffer.from('the report') },
        { rel: `mike/docs/${nfd}`, content: Buffer.from('menu, NFD') },
        { rel: 'mike/inbox/Report.txt', content: Buffer.from('another report') },
        { rel: `mike/inbox/${nfc}`, content: Buffer.from('menu, NFC') },
        { rel: 'mike/inbox/other.txt', content: Buffer.from('other') },
        { rel: 'mike/x/Notes.txt', content: Buffer.from('notes one') },
        { rel: 'mike/x/notes.txt', content: Buffer.from('notes two') },
      ],
      [
        [{ op: 'move', from: 'mike/inbox/Report.txt', to: 'mike/docs/Report.txt' }],
        [{ op: 'move', from: `mike/inbox/${nfc}`, to: `mike/docs/${nfc}` }],
        [{ op: 'move', from: 'mike/inbox/other.txt', to: 'mike/docs/other.txt' }],
        [{ op: 'move', from: 'mike/x/Notes.txt', to: 'archive/reconciliation/{run}/mike/x/Notes.txt' }],
        [{ op: 'move', from: 'mike/x/notes.txt', to: 'archive/reconciliation/{run}/mike/x/notes.txt' }],
      ],
    );
    open.push(fixture);
    const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' }) });
    const queued = enqueueApply(fixture.db, config, 'test');
    if (queued.state === 'nothing') throw new Error('nothing queued');
    const summary = await executeRun(fixture.db, config, queued.run.id, { actor: 'test' });
    expect(summary).toMatchObject({ done: 3, skipped: 2 });
    const reasons = Object.fromEntries(runOperations(fixture.db, queued.run.id).map((op) => [op.from!.toString(), op.reason ?? op.status]));
    expect(reasons[path.join(fixture.space, 'mike/inbox/Report.txt')]).toBe('destination-twin');
    expect(reasons[path.join(fixture.space, `mike/inbox/${nfc}`)]).toBe('destination-twin');
    expect(fs.readdirSync(path.join(fixture.space, 'mike/docs')).sort()).toEqual([nfd, 'other.txt', 'report.txt'].sort());
    expect(fs.readdirSync(path.join(fixture.space, 'archive/reconciliation', queued.run.id, 'mike/x')).sort()).toEqual(['Notes.txt', 'notes.txt']);

    // Undoing the move of other.txt would now twin a file that arrived at its old place.
    fs.writeFileSync(path.join(fixture.space, 'mike/inbox/Other.txt'), 'arrived later');
    const rolledBack = await rollbackRun(fixture.db, config, queued.run.id, { actor: 'test' });
    expect(rolledBack).toMatchObject({ status: 'partial', restored: 2, refused: [{ reason: expect.stringMatching(/Other\.txt exists now; .*other\.txt would differ from it only by case/) }] });
    expect(fs.existsSync(path.join(fixture.space, 'mike/docs/other.txt'))).toBe(true);
  });
});
