/** `reconcile scan` through the real bundled CLI: configured sources, errors, unprivileged reads, jdupes. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setAttributeSync } from '@napi-rs/xattr';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../engine/db/index.ts';
import { findDuplicateGroups } from '../../engine/catalog/index.ts';
import { nobody, nobodyUnavailable, runCli, runCliAsNobody, tempDir } from '../helpers.ts';

function ensureTool(command: string, aptPackage: string): void {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status === 0) return;
  execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${aptPackage}`], { stdio: 'ignore' });
}

describe('reconcile scan (CLI)', () => {
  it('scans the configured sources and says clearly when a landing folder is missing', () => {
    const dir = tempDir();
    const dataDir = tempDir('reconcile-data-');
    fs.mkdirSync(path.join(dir, 'space/mike/dev'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'space/mike/dev/a.txt'), 'hello');
    fs.writeFileSync(path.join(dir, 'space/mike/dev/b.txt'), 'hello');
    const config = path.join(dir, 'reconcile.yaml');
    fs.writeFileSync(
      config,
      'space: space\nsources:\n  - { id: count-zero-dev, host: count-zero, kind: rsync, class: local, landing: mike/dev }\n',
    );
    const ok = runCli(['--config', config, 'scan', '--json'], { dataDir });
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ sources: ['count-zero-dev'], added: 2 });
    const db = openDatabase(path.join(dataDir, 'reconcile.db'));
    expect(db.prepare('SELECT id, kind, host, landing FROM Source').all()).toEqual([
      { id: 'count-zero-dev', kind: 'rsync', host: 'count-zero', landing: 'mike/dev' },
    ]);
    expect(findDuplicateGroups(db).map((group) => group.paths)).toEqual([
      [path.join(dir, 'space/mike/dev/a.txt'), path.join(dir, 'space/mike/dev/b.txt')],
    ]);
    db.close();

    fs.appendFileSync(config, '  - { id: wintermute, kind: robocopy, class: local, landing: wintermute/missing }\n');
    const missing = runCli(['--config', config, 'scan'], { dataDir });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain(`source wintermute: landing folder ${path.join(dir, 'space/wintermute/missing')} does not exist`);
    expect(missing.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('lists extended attributes of configured sources, and of an ad-hoc folder only with --xattrs', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'space/mike/dev'), { recursive: true });
    const tagged = path.join(dir, 'space/mike/dev/tagged.txt');
    fs.writeFileSync(tagged, 'x');
    setAttributeSync(tagged, 'user.DosStream.Zone.Identifier:$DATA', '[ZoneTransfer]');
    const config = path.join(dir, 'reconcile.yaml');
    fs.writeFileSync(config, 'space: space\nsources:\n  - { id: count-zero-dev, host: count-zero, kind: rsync, class: local, landing: mike/dev }\n');
    const xattrsAfter = (args: string[]) => {
      const dataDir = tempDir('reconcile-data-');
      const result = runCli(args, { dataDir });
      expect(result.status, result.stderr).toBe(0);
      const db = openDatabase(path.join(dataDir, 'reconcile.db'));
      const stored = db.prepare(`SELECT xattrsJson FROM Entry WHERE name = 'tagged.txt'`).pluck().get();
      db.close();
      return stored;
    };
    expect(xattrsAfter(['--config', config, 'scan', '--json'])).toBe('["user.DosStream.Zone.Identifier:$DATA"]');
    expect(xattrsAfter(['--config', config, 'scan', '--no-xattrs', '--json'])).toBeNull();
    const folder = path.join(dir, 'space/mike');
    expect(xattrsAfter(['scan', folder, '--json'])).toBeNull();
    expect(xattrsAfter(['scan', folder, '--xattrs', '--json'])).toBe('["user.DosStream.Zone.Identifier:$DATA"]');
  });

  it('records unreadable folders and files with EACCES and carries on (run as an unprivileged user)', (ctx) => {
    const unavailable = nobodyUnavailable();
    if (unavailable) ctx.skip(unavailable);
    const dir = tempDir();
    fs.chmodSync(dir, 0o755);
    const dataDir = path.join(dir, 'data');
    const tree = path.join(dir, 'tree');
    fs.mkdirSync(path.join(tree, 'locked'), { recursive: true });
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(tree, 'locked/secret'), 'x');
    fs.writeFileSync(path.join(tree, 'private.txt'), 'private');
    fs.writeFileSync(path.join(tree, 'public.txt'), 'public');
    fs.chmodSync(path.join(tree, 'locked'), 0o700);
    fs.chmodSync(path.join(tree, 'private.txt'), 0o600);
    fs.chownSync(dataDir, nobody, nobody);
    const result = runCliAsNobody(['scan', tree, '--json'], { dataDir });
    expect(result.status, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.unreadable).toBe(2);
    expect(summary.problems.map((problem: { path: string; code: string }) => `${problem.code} ${problem.path}`).sort()).toEqual([
      'EACCES locked',
      'EACCES private.txt',
    ]);
    const db = openDatabase(path.join(dataDir, 'reconcile.db'));
    expect(db.prepare(`SELECT path, errorCode FROM Entry ORDER BY path`).all()).toEqual([
      { path: 'locked', errorCode: 'EACCES' },
      { path: 'private.txt', errorCode: 'EACCES' },
      { path: 'public.txt', errorCode: null },
    ]);
    db.close();
  });

  it('finds the same duplicate groups as jdupes -r on a generated tree', () => {
    ensureTool('jdupes', 'jdupes');
    const tree = tempDir('reconcile-dups-');
    const dataDir = tempDir('reconcile-data-');
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const contents: Buffer[] = [];
    for (let i = 0; i < 400; i++) {
      const folder = path.join(tree, `d${i % 13}`, `s${i % 5}`);
      fs.mkdirSync(folder, { recursive: true });
      let content: Buffer;
      if (contents.length > 0 && random() < 0.3) content = contents[Math.floor(random() * contents.length)]!;
      else {
        // Same sizes and same heads on purpose, so every hash stage has to decide.
        const size = [1, 100, 16 * 1024, 20_000, 1_100_000, 2_000_000][Math.floor(random() * 6)]!;
        content = Buffer.alloc(size, 'a');
        if (size < 4) content[0] = Math.floor(random() * 4);
        else content.writeUInt32LE(Math.floor(random() * 2 ** 32), Math.max(0, size - 4 - Math.floor(random() * 2) * Math.floor(size / 2)));
        contents.push(content);
      }
      fs.writeFileSync(path.join(folder, `f${i}.bin`), content);
    }
    fs.writeFileSync(path.join(tree, 'empty1'), '');
    fs.writeFileSync(path.join(tree, 'empty2'), '');
    const result = runCli(['scan', tree, '--json'], { dataDir });
    expect(result.status, result.stderr).toBe(0);
    const db = openDatabase(path.join(dataDir, 'reconcile.db'));
    const ours = findDuplicateGroups(db).map((group) => group.paths.slice().sort().join('\n')).sort();
    db.close();
    const jdupes = execFileSync('jdupes', ['-r', '-q', tree], { encoding: 'utf8', maxBuffer: 1 << 26 })
      .split('\n\n')
      .map((block) => block.split('\n').filter(Boolean).sort().join('\n'))
      .filter(Boolean)
      .sort();
    expect(ours.length).toBeGreaterThan(20);
    expect(ours).toEqual(jdupes);
  });
});
