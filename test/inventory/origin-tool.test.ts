/**
 * The single-file origin tool (dist/tools/reconcile-manifest.mjs, bundled by the global setup):
 * copied alone into an empty folder with no node_modules anywhere above it, it runs under plain
 * node and writes the manifest `reconcile manifest` writes for the same tree.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from '../helpers.ts';
import { manifestLines } from './read-manifest.ts';

const bundle = path.join(repoRoot, 'dist/tools/reconcile-manifest.mjs');


/** Entries keyed by path, for a comparison that does not depend on which walker thread sent what first. */
function entriesOf(file: string): Record<string, unknown>[] {
  return manifestLines(file)
    .slice(1)
    .sort((a, b) => String(a.path).localeCompare(String(b.path)));
}

function folderAbove(dir: string, name: string): string | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, name))) return path.join(at, name);
    if (path.dirname(at) === at) return undefined;
  }
}

describe('single-file origin tool', () => {
  it('runs alone under plain node and writes the same entries, hashes included, as reconcile manifest', () => {
    const work = tempDir('reconcile-origin-tool-');
    const origin = path.join(work, 'origin');
    const put = (rel: string, content: string | Buffer) => {
      fs.mkdirSync(path.dirname(path.join(origin, rel)), { recursive: true });
      fs.writeFileSync(path.join(origin, rel), content);
    };
    put('a.txt', 'alpha');
    put('empty', '');
    put('sub dir/b.bin', Buffer.alloc(3 * 1024 * 1024 + 5, 7));
    put('Résumé NFD/e\u0301.txt', 'nfd');
    for (let i = 0; i < 1500; i++) put(`many/f${i % 300}/file-${i}.txt`, `file ${i}\n`);
    fs.symlinkSync('a.txt', path.join(origin, 'link'));
    fs.writeFileSync(Buffer.from(`${origin}/bad-\xff.txt`, 'latin1'), 'bytes');

    const alone = tempDir('reconcile-tool-alone-');
    expect(folderAbove(alone, 'node_modules'), 'a node_modules folder above the tool would hide a missing dependency').toBeUndefined();
    expect(folderAbove(alone, 'package.json')).toBeUndefined();
    fs.copyFileSync(bundle, path.join(alone, 'reconcile-manifest.mjs'));
    expect(fs.readdirSync(alone)).toEqual(['reconcile-manifest.mjs']);

    const toolOut = path.join(work, 'tool.jsonl.gz');
    const tool = spawnSync(process.execPath, ['reconcile-manifest.mjs', origin, '--hash', '--out', toolOut, '--json'], {
      cwd: alone,
      encoding: 'utf8',
      // Nothing of the repository's: no NODE_PATH, no NODE_OPTIONS (tsx), HOME elsewhere.
      env: { PATH: process.env.PATH, HOME: os.tmpdir(), NODE_ENV: 'production' },
      timeout: 120_000,
    });
    expect(tool.stderr).not.toMatch(/error|warning/i);
    expect(tool.status).toBe(0);

    const cliOut = path.join(work, 'cli.jsonl.gz');
    const cli = runCli(['manifest', origin, '--hash', '--out', cliOut, '--json'], { dataDir: tempDir('reconcile-data-') });
    expect(cli.status).toBe(0);

    const toolSummary = JSON.parse(tool.stdout) as Record<string, unknown>;
    const cliSummary = JSON.parse(cli.stdout) as Record<string, unknown>;
    expect({ ...toolSummary, out: undefined }).toEqual({ ...cliSummary, out: undefined });
    expect(toolSummary).toMatchObject({ files: 1505, hashed: 1505, skipped: [] });

    const [toolHeader] = manifestLines(toolOut);
    const [cliHeader] = manifestLines(cliOut);
    expect({ ...toolHeader, createdAt: undefined, generator: undefined }).toEqual({ ...cliHeader, createdAt: undefined, generator: undefined });
    expect([toolHeader!.generator, cliHeader!.generator]).toEqual([expect.stringMatching(/^reconcile-manifest \d+\.\d+\.\d+/), expect.stringMatching(/^reconcile \d+\.\d+\.\d+/)]);
    const toolEntries = entriesOf(toolOut);
    expect(toolEntries).toEqual(entriesOf(cliOut));
    expect(toolEntries.find((entry) => entry.path === 'sub dir/b.bin')).toMatchObject({ size: 3 * 1024 * 1024 + 5, xxh128: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(toolEntries.find((entry) => entry.path === 'link')).toMatchObject({ type: 'symlink' });
  });

  it('records a folder it may not list and a file it may not read with their error, as reconcile manifest does (run as nobody)', () => {
    const work = tempDir('reconcile-origin-tool-locked-');
    fs.chmodSync(work, 0o755);
    const origin = path.join(work, 'origin');
    fs.mkdirSync(path.join(origin, 'Library/Mail'), { recursive: true });
    fs.writeFileSync(path.join(origin, 'Library/Mail/inbox.mbox'), 'mail');
    fs.writeFileSync(path.join(origin, 'private.txt'), 'private');
    fs.writeFileSync(path.join(origin, 'public.txt'), 'public');
    fs.chmodSync(path.join(origin, 'Library/Mail'), 0o700);
    fs.chmodSync(path.join(origin, 'private.txt'), 0o600);
    const out = path.join(work, 'out');
    fs.mkdirSync(out);
    fs.chownSync(out, 65534, 65534);
    fs.copyFileSync(bundle, path.join(work, 'reconcile-manifest.mjs'));
    const asNobody = (script: string, args: string[]) =>
      spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, script, ...args], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: '/tmp', NODE_ENV: 'production', RECONCILE_DATA_DIR: out },
      });
    const tool = asNobody(path.join(work, 'reconcile-manifest.mjs'), [origin, '--hash', '--out', path.join(out, 'tool.jsonl.gz'), '--json']);
    const cli = asNobody(path.join(repoRoot, 'bin/reconcile.js'), ['manifest', origin, '--hash', '--out', path.join(out, 'cli.jsonl.gz'), '--json']);
    expect(tool.status, tool.stderr).toBe(0);
    expect(cli.status, cli.stderr).toBe(0);
    const expected = [
      { path: 'Library/Mail', code: 'EACCES' },
      { path: 'private.txt', code: 'EACCES' },
    ];
    for (const result of [tool, cli]) expect((JSON.parse(result.stdout) as { skipped: unknown[] }).skipped).toEqual(expect.arrayContaining(expected));
    const entries = entriesOf(path.join(out, 'tool.jsonl.gz'));
    expect(entries).toEqual(entriesOf(path.join(out, 'cli.jsonl.gz')));
    expect(entries.find((entry) => entry.path === 'Library/Mail')).toMatchObject({ type: 'dir', error: 'EACCES' });
    expect(entries.find((entry) => entry.path === 'private.txt')).toMatchObject({ type: 'file', size: 7, error: 'EACCES' });
    expect(entries.find((entry) => entry.path === 'private.txt')!.xxh128).toBeUndefined();
    expect(entries.find((entry) => entry.path === 'public.txt')!.xxh128).toMatch(/^[0-9a-f]{32}$/);
  });
});
