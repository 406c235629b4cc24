/** Origin manifests, rclone lsjson imports and transfer logs, on real files (matching: test/plan/origin-match.test.ts). */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../engine/db/index.ts';
import { importInventory, parseTransferLog, writeManifest } from '../../engine/inventory/index.ts';
import { upsertSource } from '../../engine/scan/index.ts';
import { runCli, tempDatabase, tempDir } from '../helpers.ts';

let db: Db;
let dir: string;
beforeEach(() => {
  db = tempDatabase().db;
  dir = tempDir('reconcile-inventory-');
});
afterEach(() => db.close());

function put(rel: string, content: string | Buffer, mtimeSec?: number): string {
  const abs = path.join(dir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  if (mtimeSec !== undefined) fs.utimesSync(abs, mtimeSec, mtimeSec);
  return abs;
}

function readManifest(file: string): Record<string, unknown>[] {
  return zlib
    .gunzipSync(fs.readFileSync(file))
    .toString()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

function registerSource(id: string, extra: { origin?: string } = {}): void {
  upsertSource(db, { id, kind: 'manual', class: 'local', landing: id, root: path.join(dir, 'space', id), boundary: dir, logPaths: [], configJson: '{}', ...extra });
}

describe('origin manifests', () => {
  it('round-trips a folder: header, relative paths, sizes, ns mtimes, XXH128; re-import is a no-op', async () => {
    put('origin/a.txt', 'alpha', 1_700_000_000);
    put('origin/sub dir/b.bin', Buffer.alloc(70_000, 1));
    put('origin/empty', '');
    fs.writeFileSync(Buffer.from(`${dir}/origin/bad-\xff.txt`, 'latin1'), 'bytes');
    const out = path.join(dir, 'm.jsonl.gz');
    const summary = await writeManifest({ dir: path.join(dir, 'origin'), out, hash: true });
    expect(summary).toMatchObject({ files: 4, hashed: 4, pathStyle: 'posix' });
    const [header, ...entries] = readManifest(out);
    expect(header).toMatchObject({ format: 'reconcile-manifest', version: 2, root: path.join(dir, 'origin'), pathStyle: 'posix', hash: 'xxh128' });
    const byPath = new Map(entries.map((entry) => [entry.path, entry]));
    expect(byPath.get('a.txt')).toMatchObject({ type: 'file', size: 5, mtimeNs: '1700000000000000000' });
    expect(byPath.get('sub dir')).toMatchObject({ type: 'dir' });
    expect(byPath.get('sub dir/b.bin')!.xxh128).toMatch(/^[0-9a-f]{32}$/);
    expect(byPath.get('empty')!.xxh128).toBe('99aa06d3014798d86001c324468d497f');
    expect(Buffer.from(byPath.get('bad-\uFFFD.txt')!.pathBytes as string, 'base64').toString('latin1')).toBe('bad-\xff.txt');

    registerSource('mac', { origin: '/Users/miket/dev/' });
    const first = await importInventory(db, { id: 'mac' }, out);
    expect(first).toMatchObject({ format: 'reconcile-manifest', entries: 5, hashKinds: ['xxh128'], alreadyImported: false });
    const again = await importInventory(db, { id: 'mac' }, out);
    expect(again).toMatchObject({ inventoryId: first.inventoryId, alreadyImported: true });
    expect(db.prepare('SELECT count(*) FROM OriginEntry').pluck().get()).toBe(5);
    expect(db.prepare(`SELECT originPath FROM OriginEntry WHERE relPath = 'sub dir/b.bin'`).pluck().get()).toBe(path.join(dir, 'origin/sub dir/b.bin'));
  });

  it('writes Windows manifests with / separators and rebuilds C:\\ origin paths on import', async () => {
    put('origin/Docs/report.docx', 'report');
    const out = path.join(dir, 'win.jsonl.gz');
    const summary = await writeManifest({ dir: path.join(dir, 'origin'), out, pathStyle: 'windows' });
    const [header, ...entries] = readManifest(out);
    expect(header!.pathStyle).toBe('windows');
    expect(summary.root).toMatch(/\\origin$/);
    expect(entries.map((entry) => entry.path).sort()).toEqual(['Docs', 'Docs/report.docx']);

    // A manifest made on wintermute, as that host wrote it.
    const manifest = [
      { format: 'reconcile-manifest', version: 1, host: 'wintermute', root: 'C:\\Users\\mike\\MDT', pathStyle: 'windows', createdAt: '2026-10-02T14:00:00.000Z' },
      { path: 'Projects/site survey.pdf', type: 'file', size: 10, mtimeNs: '1759413600000000000' },
    ];
    const file = path.join(dir, 'wintermute.jsonl.gz');
    fs.writeFileSync(file, zlib.gzipSync(manifest.map((line) => JSON.stringify(line)).join('\n')));
    registerSource('wintermute');
    await importInventory(db, { id: 'wintermute' }, file);
    expect(db.prepare('SELECT relPath, originPath FROM OriginEntry').get()).toEqual({
      relPath: 'Projects/site survey.pdf',
      originPath: 'C:\\Users\\mike\\MDT\\Projects\\site survey.pdf',
    });
  });

  it('rejects a bad line with file:line and imports nothing', async () => {
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(
      file,
      [
        JSON.stringify({ format: 'reconcile-manifest', version: 1, host: 'h', root: '/r', pathStyle: 'posix', createdAt: '2026-10-02T14:00:00Z' }),
        JSON.stringify({ path: 'ok', type: 'file', size: 1, mtimeNs: '1' }),
        JSON.stringify({ path: '../escape', type: 'file', size: 1, mtimeNs: '1' }),
      ].join('\n'),
    );
    registerSource('h');
    await expect(importInventory(db, { id: 'h' }, file)).rejects.toThrow(`${file}:3: path: must be a relative path without ..`);
    expect(db.prepare('SELECT count(*) FROM Inventory').pluck().get()).toBe(0);
    const dataDir = tempDir('reconcile-data-');
    const cli = runCli(['import', '--source', 'nope', file], { dataDir });
    expect(cli.status).not.toBe(0);
    expect(cli.stderr).toContain('unknown source nope');
  });
});

describe('rclone lsjson', () => {
  it('says which line of an lsjson file is wrong', async () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, `[\n${JSON.stringify({ Path: 'a', Name: 'a', Size: 1, ModTime: 'yesterday', IsDir: false })}\n]\n`);
    registerSource('cloud');
    await expect(importInventory(db, { id: 'cloud' }, file)).rejects.toThrow(`${file}:2: ModTime "yesterday" is not an RFC 3339 time`);
  });
});

describe('transfer logs', () => {
  it('parses rsync log-file lines, itemized output and stderr, with errno names and origin-relative paths', async () => {
    const log = put(
      'rsync.log',
      [
        '2026/10/02 14:00:00 [4242] building file list',
        '2026/10/02 14:00:01 [4242] >f+++++++++ docs/ok.txt',
        '2026/10/02 14:00:02 [4242] rsync: [sender] read errors mapping "/Users/miket/dev/photos/a.NEF": Resource deadlock avoided (11)',
        '2026/10/02 14:00:02 [4242] WARNING: photos/a.NEF failed verification -- update discarded (will try again).',
        'rsync: [sender] send_files failed to open "/Users/miket/dev/Private/x.pdf": Operation not permitted (1)',
        'rsync: opendir "/Users/miket/dev/Library/Mail" failed: Permission denied (13)',
        'file has vanished: "/Users/miket/dev/tmp/build.lock"',
        'rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [sender=3.2.7]',
      ].join('\n'),
    );
    const events = await parseTransferLog(log, '/Users/miket/dev/');
    expect(events.map((event) => [event.lineNo, event.level, event.relPath, event.code])).toEqual([
      [3, 'error', 'photos/a.NEF', 'EDEADLK'],
      [4, 'warning', 'photos/a.NEF', 'VERIFY'],
      [5, 'error', 'Private/x.pdf', 'EPERM'],
      [6, 'error', 'Library/Mail', 'EACCES'],
      [7, 'warning', 'tmp/build.lock', 'ENOENT'],
      [8, 'error', null, 'RSYNC23'],
    ]);
  });

  it('parses robocopy (CRLF, two-line errors, Windows paths) and rclone JSON logs', async () => {
    const robocopy = put(
      'robocopy.log',
      [
        '-------------------------------------------------------------------------------',
        '   ROBOCOPY     ::     Robust File Copy for Windows',
        '\t                   2\tC:\\Users\\mike\\MDT\\Projects\\',
        '\t    New File  \t\t    1024\tsurvey.pdf',
        '2026/10/02 14:02:28 ERROR 5 (0x00000005) Copying File C:\\Users\\mike\\MDT\\Projects\\survey.pdf',
        'Access is denied.',
        '',
        '2026/10/02 14:02:30 ERROR 32 (0x00000020) Copying File c:\\users\\mike\\mdt\\Finance\\Ledger.xlsx',
        'The process cannot access the file because it is being used by another process.',
      ].join('\r\n'),
    );
    const events = await parseTransferLog(robocopy, 'C:\\Users\\mike\\MDT\\');
    expect(events.map((event) => [event.tool, event.lineNo, event.relPath, event.code])).toEqual([
      ['robocopy', 5, 'Projects/survey.pdf', 'EACCES'],
      ['robocopy', 8, 'Finance/Ledger.xlsx', 'EBUSY'],
    ]);
    expect(events[0]!.message).toContain('Access is denied.');

    const rclone = put(
      'rclone.jsonl',
      [
        JSON.stringify({ time: 't', level: 'info', msg: 'Copied (new)', object: 'a.docx' }),
        JSON.stringify({ time: 't', level: 'error', msg: 'Failed to copy: unexpected EOF', object: 'Deck.pptx' }),
        JSON.stringify({ time: 't', level: 'error', msg: 'Attempt 3/3 failed with 1 errors' }),
      ].join('\n'),
    );
    expect((await parseTransferLog(rclone)).map((event) => [event.tool, event.lineNo, event.relPath, event.code])).toEqual([
      ['rclone', 2, 'Deck.pptx', 'EOF'],
      ['rclone', 3, null, null],
    ]);
  });
});
