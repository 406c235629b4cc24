/** The scan stage on real files: odd names, links, special files, vanishing files, incremental rescans. */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setAttributeSync } from '@napi-rs/xattr';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import xxhash from 'xxhash-addon';
import type { Db } from '../../engine/db/index.ts';
import { adhocSources, scan, walk, type ScanOptions } from '../../engine/scan/index.ts';
import { findDuplicateGroups } from '../../engine/catalog/index.ts';
import { tempDatabase, tempDir } from '../helpers.ts';

let db: Db;
let root: string;

beforeEach(() => {
  db = tempDatabase().db;
  root = tempDir('reconcile-scan-');
});
afterEach(() => db.close());

function write(rel: string | Buffer, content: string | Buffer): Buffer {
  const abs = Buffer.concat([Buffer.from(`${root}/`), Buffer.from(rel)]);
  fs.mkdirSync(path.dirname(abs.toString('latin1')) === abs.toString('latin1') ? root : Buffer.from(path.dirname(abs.toString('latin1')), 'latin1'), { recursive: true });
  fs.writeFileSync(abs, content);
  // An hour old: files modified at or after a scan's start are "racy" and would be re-read on purpose.
  const past = new Date(Date.now() - 3_600_000);
  fs.utimesSync(abs, past, past);
  return abs;
}

function run(options: Partial<ScanOptions> = {}) {
  return scan(db, { sources: adhocSources(db, [root]), hashWorkers: 1, ...options });
}

interface EntryRow {
  relPath: Buffer;
  path: string;
  nfcKey: string;
  foldKey: string;
  type: string;
  size: number;
  fullHash: string | null;
  headHash: string | null;
  errorCode: string | null;
  skipReason: string | null;
  removedScanId: number | null;
  linkTarget: Buffer | null;
}

function entries(): EntryRow[] {
  return db.prepare('SELECT * FROM Entry ORDER BY relPath').all() as EntryRow[];
}
function entry(rel: string | Buffer): EntryRow | undefined {
  return db.prepare('SELECT * FROM Entry WHERE relPath = ?').get(Buffer.from(rel)) as EntryRow | undefined;
}

describe('scan', () => {
  it('keeps odd names byte for byte: NFD, newline, invalid UTF-8, 255-byte names', async () => {
    const nfd = 'Cafe\u0301.txt';
    const invalid = Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x2e, 0x74, 0x78, 0x74]);
    const long = 'x'.repeat(251) + '.txt';
    write(nfd, 'same');
    write('line\nbreak.txt', 'same');
    write(invalid, 'other');
    write(long, 'long');
    write('Folder/CAFÉ.TXT', 'x');
    const summary = await run();
    expect(summary.added).toBe(6);
    const rows = entries();
    expect(rows.map((row) => row.relPath.toString('hex')).sort()).toEqual(
      [Buffer.from(nfd), Buffer.from('line\nbreak.txt'), invalid, Buffer.from(long), Buffer.from('Folder'), Buffer.from('Folder/CAFÉ.TXT')].map((b) => b.toString('hex')).sort(),
    );
    expect(entry(nfd)!.nfcKey).toBe('Café.txt');
    expect(entry('Folder/CAFÉ.TXT')!.foldKey).toBe('folder/café.txt');
    expect(entry(invalid)!.path).toBe('bad\uFFFD\uFFFD.txt');
    expect(Buffer.byteLength(long)).toBe(255);
    // Duplicate hashing reaches files through their raw names, including the invalid UTF-8 one.
    expect(entry(nfd)!.fullHash).not.toBeNull();
    expect(entry(nfd)!.fullHash).toBe(entry('line\nbreak.txt')!.fullHash);
  });

  it('records symlinks without following them, marks loops and links leaving the tree, and records special files', async () => {
    write('dir/file', 'content');
    fs.symlinkSync('.', path.join(root, 'dir/self'));
    fs.symlinkSync('..', path.join(root, 'dir/parent'));
    fs.symlinkSync('/etc/passwd', path.join(root, 'outside'));
    fs.symlinkSync('file', path.join(root, 'dir/sibling'));
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    const summary = await run();
    expect(entry('dir/self')!.skipReason).toBe('symlink-loop');
    expect(entry('dir/parent')!.skipReason).toBe('symlink-loop');
    expect(entry('outside')!.skipReason).toBe('symlink-outside-space');
    expect(entry('dir/sibling')!.skipReason).toBe('symlink');
    expect(entry('dir/sibling')!.linkTarget!.toString()).toBe('file');
    expect(entry('pipe')).toMatchObject({ type: 'other', skipReason: 'fifo' });
    expect(summary.skipped).toBe(5);
    // Nothing below the links was walked.
    expect(entries().filter((row) => row.path.startsWith('dir/self/'))).toHaveLength(0);
  });

  it('records a file that vanishes between listing and lstat, and one that vanishes before it is hashed', async () => {
    write('a/keep', 'twin');
    write('a/twin', 'twin');
    write('a/gone', 'bye');
    write('b/late', 'late twin');
    write('b/late-copy', 'late twin');
    const summary = await run({
      hooks: {
        beforeStat(abs) {
          if (abs.toString().endsWith('/a/gone')) fs.unlinkSync(abs);
        },
        beforeHash(paths) {
          for (const abs of paths) if (Buffer.from(abs).toString().endsWith('/b/late')) fs.unlinkSync(Buffer.from(abs));
        },
      },
    });
    expect(summary.vanished).toBe(1);
    expect(entry('a/gone')).toBeUndefined();
    expect(entry('b/late')!.errorCode).toBe('ENOENT');
    expect(summary.problems.map((problem) => problem.code).sort()).toEqual(['ENOENT', 'ENOENT']);
    expect(entry('a/keep')!.fullHash).toBe(entry('a/twin')!.fullHash);
  });

  it('rescans an unchanged tree without reading content, and re-reads only what changed', async () => {
    for (let i = 0; i < 20; i++) write(`d${i % 4}/f${i}`, `content ${i % 5}`.repeat(2000 * (1 + (i % 3))));
    write('big/one', Buffer.alloc(3 << 20, 7));
    write('big/two', Buffer.alloc(3 << 20, 7));
    const first = await run();
    expect(first.bytesRead).toBeGreaterThan(6 << 20);
    const groups = findDuplicateGroups(db);
    expect(groups.length).toBeGreaterThan(1);

    const second = await run();
    expect(second).toMatchObject({ bytesRead: 0, added: 0, changed: 0, removed: 0, racy: 0, filesHashed: 0 });
    expect(db.prepare('SELECT bytesRead FROM ScanRun WHERE id = ?').pluck().get(second.scanId)).toBe(0);
    expect(findDuplicateGroups(db)).toEqual(groups);

    fs.writeFileSync(path.join(root, 'big/two'), Buffer.alloc(3 << 20, 8));
    fs.unlinkSync(path.join(root, 'd0/f0'));
    const third = await run();
    expect(third).toMatchObject({ changed: 2, removed: 1, added: 0 }); // the file and its folder's mtime
    expect(entry('d0/f0')!.removedScanId).toBe(third.scanId);
    expect(findDuplicateGroups(db).some((group) => group.paths.some((p) => p.endsWith('big/one')))).toBe(false);
    // What keeps a plan reusable: only the rescan that found nothing new says it changed nothing.
    expect(db.prepare('SELECT catalogChanged FROM ScanRun ORDER BY id').pluck().all()).toEqual([1, 0, 1]);
  });

  it('splits a walk between walkers so that every entry is yielded exactly once, and rescans in parallel without losing any', async () => {
    write('top.txt', 'root file');
    for (let i = 0; i < 12; i++) write(`d${i}/f`, `file ${i}`);
    for (let i = 0; i < 30; i++) write(`deep/l${i % 5}/m${i}/n/leaf`, `leaf ${i}`);
    fs.mkdirSync(path.join(root, 'empty'));
    fs.symlinkSync('../top.txt', path.join(root, 'd1/link'));
    const whole = [...walk(root, { boundary: root })].map((entry) => entry.relPath.toString());
    for (const count of [2, 3]) {
      const shares = Array.from({ length: count }, (_, index) => [...walk(root, { boundary: root, share: { index, count } })].map((entry) => entry.relPath.toString()));
      expect(shares.flat().sort()).toEqual(whole.slice().sort());
      for (const share of shares) expect(share.length).toBeGreaterThan(0);
    }
    const first = await run();
    const rescan = await run();
    expect(rescan).toMatchObject({ entriesSeen: first.entriesSeen, added: 0, changed: 0, removed: 0, skipped: first.skipped, bytesSeen: first.bytesSeen });
    fs.rmSync(path.join(root, 'deep/l3'), { recursive: true });
    write('d5/new', 'new');
    expect(await run()).toMatchObject({ added: 1, removed: 6 * 3 + 1 });
  });

  it('re-hashes a stat-identical file modified at or after the previous scan started (racy rule)', async () => {
    write('x/one', 'racy content');
    write('x/two', 'racy content');
    write('y/one', 'calm content');
    write('y/two', 'calm content');
    const future = new Date(Date.now() + 3_600_000);
    fs.utimesSync(path.join(root, 'x/one'), future, future);
    await run();
    const second = await run();
    // x/one's mtime is later than the first scan's start: it may have changed after being hashed.
    expect(second.racy).toBe(1);
    expect(second.bytesRead).toBe('racy content'.length);
    const third = await run();
    expect(third.racy).toBe(1); // still in the future relative to the second scan's start
    fs.utimesSync(path.join(root, 'x/one'), new Date(0), new Date(0));
    await run(); // ctime changed: a normal change
    const last = await run();
    expect(last).toMatchObject({ racy: 0, bytesRead: 0 });
  });

  it('hashes every file with full, and treats hard links as one inode', async () => {
    write('a', 'unique one');
    write('b', 'unique two');
    write('c', '');
    write('d', 'linked');
    fs.linkSync(path.join(root, 'd'), path.join(root, 'e'));
    const summary = await run({ full: true });
    expect(summary.filesHashed).toBe(3); // a, b and one read for the two links of d
    expect(entry('c')!.fullHash).toBe('99aa06d3014798d86001c324468d497f');
    expect(entry('e')!.fullHash).toBe(entry('d')!.fullHash);
    expect(findDuplicateGroups(db)).toEqual([]);
  });

  it('reads every file where it is walked on a first full scan: the head, tail and full hashes of the pool, and a file gone before its read recorded', async () => {
    const big = crypto.randomBytes(2 * 1024 * 1024 + 5);
    write('big.bin', big);
    write('small.txt', 'small');
    write('gone.txt', 'bye');
    const xxh = (bytes: Buffer) => xxhash.XXHash128.hash(bytes).toString('hex');
    const expectBig = (row: EntryRow) =>
      expect(row).toMatchObject({ headHash: xxh(big.subarray(0, 16 * 1024)), tailHash: xxh(big.subarray(big.length - 16 * 1024)), fullHash: xxh(big) });
    // Walker threads (no hooks): every file hashed once, as the bench runs it.
    const summary = await run({ full: true });
    expect(summary).toMatchObject({ filesHashed: 3, bytesRead: big.length + 16 * 1024 + 5 + 3 });
    expectBig(entry('big.bin')!);
    expect(entry('small.txt')!.fullHash).toBe(xxh(Buffer.from('small')));
    // In-process (a hook), with a file removed right before it is read.
    db.close();
    db = tempDatabase().db;
    const inProcess = await run({
      full: true,
      hooks: { beforeHash: (paths) => paths.forEach((abs) => Buffer.from(abs).toString().endsWith('/gone.txt') && fs.unlinkSync(Buffer.from(abs))) },
    });
    expect(inProcess).toMatchObject({ filesHashed: 2, unreadable: 1 });
    expect(inProcess.problems).toEqual([expect.objectContaining({ code: 'ENOENT', path: 'gone.txt' })]);
    expect(entry('gone.txt')).toMatchObject({ errorCode: 'ENOENT', fullHash: null });
    expectBig(entry('big.bin')!);
  });

  it('finds twins of hard-linked files on a first scan (they wait for the stages after the walk)', async () => {
    const big = Buffer.alloc(100_000, 3); // above the size hashed whole at once: head, then full
    write('x/linked', big);
    fs.linkSync(path.join(root, 'x/linked'), path.join(root, 'x/link'));
    write('y/copy', big);
    write('y/same-size', Buffer.alloc(100_000, 4));
    await run();
    const [group, ...others] = findDuplicateGroups(db);
    expect(others).toEqual([]);
    expect(group).toMatchObject({ inodes: 2, paths: ['x/link', 'x/linked', 'y/copy'].map((rel) => path.join(root, rel)) });
    expect(entry('y/same-size')!.fullHash).toBeNull(); // its head differs: never read whole
  });

  it('re-reads unchanged files with full (an integrity audit) and reports content that changed behind unchanged metadata', async () => {
    write('a', 'alpha');
    write('b', 'bravo');
    await run({ full: true });
    expect((await run()).bytesRead).toBe(0);
    // What silent corruption looks like to the catalog: the stored hash no longer matches the bytes.
    const stored = entry('a')!.fullHash!;
    db.prepare('UPDATE Entry SET fullHash = ? WHERE relPath = ?').run('0'.repeat(32), Buffer.from('a'));
    const audit = await run({ full: true });
    expect(audit).toMatchObject({ changed: 0, added: 0, filesHashed: 2, bytesRead: 10, contentChanged: 1 });
    expect(audit.problems).toEqual([expect.objectContaining({ code: 'ECONTENT', path: path.join(root, 'a') })]);
    expect(entry('a')!.fullHash).toBe(stored);
  });

  it('records extended-attribute names on the first scan and on changed entries', async () => {
    const file = write('tagged.txt', 'x');
    setAttributeSync(file.toString(), 'user.DosStream.Zone.Identifier:$DATA', '[ZoneTransfer]');
    write('plain.txt', 'y');
    await run();
    const xattrs = (rel: string) => db.prepare('SELECT xattrsJson FROM Entry WHERE relPath = ?').pluck().get(Buffer.from(rel));
    expect(xattrs('tagged.txt')).toBe('["user.DosStream.Zone.Identifier:$DATA"]');
    expect(xattrs('plain.txt')).toBe('[]');
    setAttributeSync(path.join(root, 'plain.txt'), 'user.com.apple.FinderInfo', 'info');
    await run();
    expect(xattrs('plain.txt')).toBe('["user.com.apple.FinderInfo"]');
  });

  it('bulk-loads a first scan without indexes and always ends with every index of the migrations', async () => {
    const indexes = () => db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Entry' AND sql IS NOT NULL ORDER BY name`).pluck().all();
    const expected = indexes();
    expect(expected).toEqual(expect.arrayContaining(['Entry_fullHash_idx', 'Entry_sourceId_relPath_key']));
    write('a', 'same');
    write('b', 'same');
    let duringWalk: unknown[] | undefined;
    await run({ hooks: { beforeStat: () => void (duringWalk ??= indexes()) } });
    expect(duringWalk).toEqual([]);
    expect(indexes()).toEqual(expected);
    expect(entry('a')!.fullHash).toBe(entry('b')!.fullHash);
    // A scan killed between dropping and rebuilding leaves them missing; the next scan repairs that.
    db.exec('DROP INDEX Entry_fullHash_idx; DROP INDEX Entry_dev_ino_idx; DROP INDEX Entry_sourceId_relPath_key');
    await run();
    expect(indexes()).toEqual(expected);
    expect(() => db.prepare(`INSERT INTO Entry (sourceId, relPath, path, parent, name, nfcKey, foldKey, type, firstScanId, lastScanId)
      SELECT sourceId, relPath, path, parent, name, nfcKey, foldKey, type, firstScanId, lastScanId FROM Entry LIMIT 1`).run()).toThrow(/UNIQUE/);
  });

  it('hashes every catalog row of an inode when two sources landed in the same folder', async () => {
    write('a.txt', 'twin');
    write('b.txt', 'twin');
    const source = (id: string) => ({ id, kind: 'rsync' as const, class: 'local' as const, landing: 'x', root, boundary: root, logPaths: [], configJson: '{}' });
    await scan(db, { sources: [source('mac-copy'), source('cloud-copy')], hashWorkers: 1 });
    expect(db.prepare('SELECT count(*) FROM Entry WHERE fullHash IS NOT NULL').pluck().get()).toBe(4);
    const [group] = findDuplicateGroups(db);
    expect(group).toMatchObject({ inodes: 2, reclaimableBytes: 4 });
    expect(group!.members.map((member) => member.sourceId).sort()).toEqual(['cloud-copy', 'cloud-copy', 'mac-copy', 'mac-copy']);
  });

  it('lists a group\'s paths in code-point order (as SQLite orders text), also beyond the BMP', async () => {
    // UTF-16 order would put the emoji (a surrogate pair, 0xD83D…) before U+FF01.
    for (const name of ['dup-\u{1F600}', 'dup-\uFF01', 'dup-a', 'dup-B']) write(name, 'same content');
    await run();
    const [group] = findDuplicateGroups(db);
    expect(group!.paths.map((item) => path.basename(item))).toEqual(['dup-B', 'dup-a', 'dup-\uFF01', 'dup-\u{1F600}']);
  });

  it('writes progress to the job row when run as a job', async () => {
    write('a', 'x');
    const jobId = Number(
      db.prepare(`INSERT INTO Job (kind, idempotencyKey, createdBy) VALUES ('scan', 'k', 'test')`).run().lastInsertRowid,
    );
    const events: string[] = [];
    await run({ jobId, onProgress: (progress) => events.push(progress.phase) });
    const progress = JSON.parse(db.prepare('SELECT progressJson FROM Job WHERE id = ?').pluck().get(jobId) as string);
    expect(progress).toMatchObject({ phase: 'done', done: 1 });
    expect(events.at(-1)).toBe('done');
  });
});
