// Nothing is done through a symbolic link in the middle of a path: the kernel would follow it
// out of the space (and, to another file system, past the cross-device guard). Nor through `..`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueApply, executeRun, runOperations } from '../../engine/apply/index.ts';
import { loadConfig, loadEnv } from '../../engine/config/index.ts';
import { tempDir } from '../helpers.ts';
import { buildFixture, type Fixture } from './fixture.ts';

const open: Fixture[] = [];
const outsides: string[] = [];
afterEach(() => {
  for (const fixture of open.splice(0)) fixture.close();
  for (const dir of outsides.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('symbolic links in a path', () => {
  it('skips steps whose source or destination runs through a linked folder, even to another file system', async () => {
    const root = tempDir('reconcile-symlink-');
    // Outside the space, on another file system where there is one.
    const outside = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'reconcile-outside-'));
    outsides.push(outside);
    fs.writeFileSync(path.join(outside, 'f.txt'), 'lives outside the space');
    fs.mkdirSync(path.join(root, 'space/mike'), { recursive: true });
    fs.symlinkSync(outside, path.join(root, 'space/mike/link'));
    const fixture = buildFixture(
      root,
      [
        { rel: 'mike/a.txt', content: Buffer.from('alpha') },
        { rel: 'mike/real/b.txt', content: Buffer.from('bravo') },
      ],
      [
        [{ op: 'move', from: 'mike/link/f.txt', to: 'archive/reconciliation/{run}/mike/link/f.txt' }],
        [{ op: 'move', from: 'mike/a.txt', to: 'mike/link/a.txt' }],
        [{ op: 'move', from: 'mike/real/b.txt', to: 'archive/reconciliation/{run}/mike/real/b.txt' }],
      ],
    );
    open.push(fixture);
    const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' }) });
    const queued = enqueueApply(fixture.db, config, 'test');
    if (queued.state === 'nothing') throw new Error('nothing queued');
    expect(await executeRun(fixture.db, config, queued.run.id, { actor: 'test' })).toMatchObject({ done: 1, skipped: 2 });
    expect(runOperations(fixture.db, queued.run.id).map((op) => [path.basename(op.from!.toString()), op.reason ?? op.status])).toEqual(
      expect.arrayContaining([
        ['f.txt', 'symlink-in-path'],
        ['a.txt', 'symlink-in-path'],
        ['b.txt', 'done'],
      ]),
    );
    expect(fs.readdirSync(outside)).toEqual(['f.txt']);
    expect(fs.readFileSync(path.join(fixture.space, 'mike/a.txt'), 'utf8')).toBe('alpha');
  });

  it('refuses planned paths with . or .. components, which point elsewhere than they read', () => {
    const fixture = buildFixture(tempDir('reconcile-dotdot-'), [{ rel: 'mike/a.txt', content: Buffer.from('alpha') }], [
      [{ op: 'move', from: 'mike/a.txt', to: 'archive/../../escaped.txt' }],
    ]);
    open.push(fixture);
    const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' }) });
    expect(() => enqueueApply(fixture.db, config, 'test')).toThrow(/is not a plain absolute path/);
    expect(fs.existsSync(path.join(fixture.root, 'escaped.txt'))).toBe(false);
  });
});
