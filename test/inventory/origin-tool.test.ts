/**
 * The single-file origin tool (dist/tools/reconcile-manifest.mjs, bundled by the global setup):
 * copied alone into an empty folder with no node_modules anywhere above it, it runs under plain
 * node and writes the manifest `reconcile manifest` writes for the same tree.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from '../helpers.ts';

const bundle = path.join(repoRoot, 'dist/tools/reconcile-manifest.mjs');

function lines(file: string): Record<string, unknown>[] {
  return zlib
    .gunzipSync(fs.readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Entries keyed by path, for a comparison that does not depend on which walker thread sent what first. */
function entriesOf(file: string): Record<string, unknown>[] {
  return lines(file)
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

    const [toolHeader] = lines(toolOut);
    const [cliHeader] = lines(cliOut);
    expect({ ...toolHeader, createdAt: undefined }).toEqual({ ...cliHeader, createdAt: undefined });
    const toolEntries = entriesOf(toolOut);
    expect(toolEntries).toEqual(entriesOf(cliOut));
    expect(toolEntries.find((entry) => entry.path === 'sub dir/b.bin')).toMatchObject({ size: 3 * 1024 * 1024 + 5, xxh128: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(toolEntries.find((entry) => entry.path === 'link')).toMatchObject({ type: 'symlink' });
  });
});
