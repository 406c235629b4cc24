// Copies are independent copies: written through read and write (a reflink would share the
// original's blocks on btrfs or XFS), with owner then mode, so setuid and setgid bits survive.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueApply, executeRun } from '../../engine/apply/index.ts';
import { loadConfig, loadEnv } from '../../engine/config/index.ts';
import { tempDir } from '../helpers.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { straceUnavailable, traceCli } from './syscalls.ts';

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const fixture of fixtures) {
    fixture.close();
    fs.rmSync(fixture.root, { recursive: true, force: true });
  }
});

function copies(names: string[]): Fixture {
  const fixture = buildFixture(
    tempDir('reconcile-copies-'),
    names.map((name, index) => ({ rel: `mike/${name}`, content: Buffer.alloc(1024 * 1024, index + 1) })),
    names.map((name) => [{ op: 'copy' as const, from: `mike/${name}`, to: `mike/copies/${name}` }]),
  );
  fixtures.push(fixture);
  return fixture;
}

describe('copies', () => {
  it('writes the copy itself: no copy_file_range, sendfile or FICLONE that could share blocks', (ctx) => {
    const unavailable = straceUnavailable();
    if (unavailable) ctx.skip(unavailable);
    const fixture = copies(['big.bin']);
    const traced = traceCli(['--config', fixture.configFile, 'apply'], { dataDir: fixture.dataDir, calls: ['copy_file_range', 'sendfile', 'ioctl'] });
    expect(traced.status, traced.stderr).toBe(0);
    expect(traced.trace.filter((line) => /copy_file_range\(|sendfile\(|FICLONE/.test(line))).toEqual([]);
    expect(fs.readFileSync(path.join(fixture.space, 'mike/copies/big.bin')).equals(fs.readFileSync(path.join(fixture.space, 'mike/big.bin')))).toBe(true);
  });

  it('keeps setuid and setgid bits with the owner, and names what it could not keep', async (ctx) => {
    if (process.getuid?.() !== 0) ctx.skip('needs root to give the source another owner');
    const fixture = copies(['setuid.bin', 'setgid.bin']);
    for (const [name, mode] of [['setuid.bin', 0o4755], ['setgid.bin', 0o2750]] as const) {
      const file = path.join(fixture.space, 'mike', name);
      fs.chownSync(file, 65534, 65534);
      fs.chmodSync(file, mode);
    }
    const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' }) });
    const queued = enqueueApply(fixture.db, config, 'test');
    if (queued.state === 'nothing') throw new Error('nothing queued');
    const summary = await executeRun(fixture.db, config, queued.run.id, { actor: 'test' });
    expect(summary).toMatchObject({ done: 2, notPreserved: [] });
    for (const [name, mode] of [['setuid.bin', 0o4755], ['setgid.bin', 0o2750]] as const) {
      const copy = fs.statSync(path.join(fixture.space, 'mike/copies', name));
      expect([copy.mode & 0o7777, copy.uid, copy.gid], name).toEqual([mode, 65534, 65534]);
    }
  });
});
