/**
 * Reading ahead for classification (engine/classify/digests.ts): the cloud digests origin matching
 * needs are computed on the hash workers and kept for the next plan, and classification answers
 * exactly as it does without them — also for files changed, gone or unreadable since.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import xxhash from 'xxhash-addon';
import { CatalogView } from '../../engine/classify/catalog.ts';
import { classify, precomputeDigests, type Finding } from '../../engine/classify/index.ts';
import { originEntries } from '../../engine/classify/origin-entries.ts';
import { counterpart, matchOrigin } from '../../engine/classify/origin-match.ts';
import { ContentHasher, HashPool, QuickXorHash, type HashTask } from '../../engine/hash/index.ts';
import { nobody, nobodyUnavailable, runCliAsNobody } from '../helpers.ts';
import { SpaceFixture } from '../plan/fixture.ts';

const mtime = 1_767_000_000;
const content = (name: string, size: number) => Buffer.from(`${name} `.repeat(size)).subarray(0, size);
const sha1 = (data: Buffer) => crypto.createHash('sha1').update(data).digest('hex');

/** A OneDrive landing whose lsjson carries SHA-1, MD5, QuickXorHash, and an XXH128 for one file. */
async function cloudFixture(): Promise<SpaceFixture> {
  const fixture = new SpaceFixture();
  fixture.configure({ sources: [{ id: 'm365', kind: 'rclone', class: 'cloud', landing: 'cloud', origin: 'm365:', remote: 'm365:' }] });
  const files = {
    'sha.pdf': content('sha', 3001),
    'md5.xlsx': content('md5', 3002),
    'qx.docx': content('qx', 3003),
    'xx.bin': content('xx', 3004),
    'edited.txt': content('edited', 3005),
    'new/moved.txt': content('moved', 3006),
    'short.zip': content('short', 100),
    // Landed with its name decomposed (NFD): found by counterpart's normalisation fallback.
    'Cafe\u0301.txt': content('cafe', 3007),
  };
  for (const [rel, data] of Object.entries(files)) fixture.write(`cloud/${rel}`, data, mtime);
  await fixture.scan();
  fixture.origin(
    'm365',
    [
      { relPath: 'sha.pdf', size: 3001, sha1: sha1(files['sha.pdf']) },
      { relPath: 'md5.xlsx', size: 3002 },
      { relPath: 'qx.docx', size: 3003 },
      { relPath: 'xx.bin', size: 3004, xxh128: xxhash.XXHash128.hash(files['xx.bin']).toString('hex') },
      { relPath: 'edited.txt', size: 3005, sha1: sha1(content('original', 3005)) },
      // Moved on the origin side after the transfer: no counterpart, the same content elsewhere.
      { relPath: 'old/moved.txt', size: 3006, sha1: sha1(files['new/moved.txt']) },
      { relPath: 'short.zip', size: 5000, sha1: sha1(content('short', 5000)) },
      { relPath: 'Caf\u00e9.txt', size: 3007, sha1: sha1(files['Cafe\u0301.txt']) },
    ].map((entry) => ({ ...entry, mtimeNs: BigInt(mtime) * 1_000_000_000n })),
    'm365:',
  );
  fixture.db.prepare("UPDATE OriginEntry SET md5 = ? WHERE relPath = 'md5.xlsx'").run(crypto.createHash('md5').update(files['md5.xlsx']).digest('hex'));
  fixture.db.prepare("UPDATE OriginEntry SET quickxor = ? WHERE relPath = 'qx.docx'").run(new QuickXorHash().update(files['qx.docx']).digest().toString('hex'));
  return fixture;
}

/** `name:kind` of every read on this thread (the hash workers have their own ContentHasher). */
function mainThreadReads(): { reads: () => string[] } {
  const run = vi.spyOn(ContentHasher.prototype, 'run');
  return { reads: () => run.mock.calls.map(([task]: [HashTask]) => `${path.basename(Buffer.from(task.path).toString())}:${task.kind}`).sort() };
}

function matchAll(fixture: SpaceFixture) {
  const catalog = new CatalogView(fixture.db, fixture.config);
  return Object.fromEntries([...originEntries(fixture.db)].map((origin) => [origin.relPath, matchOrigin(catalog, counterpart(catalog, origin), origin)]));
}

function classifyAll(fixture: SpaceFixture): { findings: Finding[]; completeness: unknown } {
  const findings: Finding[] = [];
  const { completeness } = classify(fixture.db, fixture.config, (finding) => findings.push(finding));
  return { findings: findings.sort((a, b) => (a.id < b.id ? -1 : 1)), completeness };
}

/** Drops every kept digest: classification then reads each file itself, as without the pre-pass. */
function forgetDigests(fixture: SpaceFixture): void {
  fixture.db.exec('DELETE FROM ContentDigest');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('digests read ahead for classification', () => {
  it('are computed on the hash workers, and classification then reads only what it could not predict', async () => {
    const fixture = await cloudFixture();
    const pool = new HashPool({ workers: 2 });
    const pooled = vi.spyOn(pool, 'run');
    const onMain = mainThreadReads();
    const progress: { done: number; total: number; bytes: number }[] = [];
    const summary = await precomputeDigests(fixture.db, fixture.config, { pool, onProgress: (step) => progress.push(step) });
    await pool.close();
    // Same-size counterparts in the inventory's kind, the XXH128 the scan lacked, the moved file's stand-in.
    const bytes = 3001 + 3002 + 3003 + 3004 + 3005 + 3006 + 3007;
    expect(summary).toEqual({ read: 7, kept: 0, bytes });
    expect(pooled).toHaveBeenCalledTimes(1);
    expect(onMain.reads()).toEqual([]);
    expect(progress[0]).toEqual({ done: 0, total: 8, bytes: 0 });
    expect(progress.at(-1)).toEqual({ done: 8, total: 8, bytes });

    const ahead = classifyAll(fixture);
    // Only the XXH128s the findings show as evidence, which no inventory asked for.
    expect(onMain.reads()).toEqual(['edited.txt:full', 'short.zip:full']);
    expect(ahead.completeness).toMatchObject([{ source: 'm365', files: 8, present: { files: 7 }, partial: { files: 1 } }]);
    expect(ahead.findings.map((finding) => `${finding.kind}/${finding.rule}`).sort()).toEqual(['corrupt/hash-differs-same-size-and-mtime', 'partial/shorter-than-origin']);

    vi.restoreAllMocks();
    forgetDigests(fixture);
    const serialReads = mainThreadReads();
    expect(classifyAll(fixture)).toEqual(ahead);
    expect(serialReads.reads()).toEqual(
      ['Cafe\u0301.txt:sha1', 'edited.txt:full', 'edited.txt:sha1', 'md5.xlsx:md5', 'moved.txt:sha1', 'qx.docx:quickxor', 'sha.pdf:sha1', 'short.zip:full'].sort(),
    );
  });

  it('are kept for the next plan: unchanged files are not read again, changed ones are', async () => {
    const fixture = await cloudFixture();
    await precomputeDigests(fixture.db, fixture.config);
    const ahead = classifyAll(fixture);
    forgetDigests(fixture);
    expect((await precomputeDigests(fixture.db, fixture.config)).read).toBe(6); // xx.bin's XXH128 is in the catalog now

    const started = vi.spyOn(HashPool.prototype, 'run');
    expect(await precomputeDigests(fixture.db, fixture.config)).toEqual({ read: 0, kept: 6, bytes: 0 });
    expect(started).not.toHaveBeenCalled();
    const onMain = mainThreadReads();
    expect(classifyAll(fixture)).toEqual(ahead);
    expect(onMain.reads()).toEqual(['edited.txt:full', 'short.zip:full']);

    // Rewritten in place with the same size and its mtime put back: only the ctime tells.
    const sha = path.join(fixture.space, 'cloud/sha.pdf');
    fs.writeFileSync(sha, content('swapped', 3001));
    fs.utimesSync(sha, mtime, mtime);
    vi.restoreAllMocks();
    const reread = mainThreadReads();
    expect(matchAll(fixture)['sha.pdf']).toMatchObject({ status: 'hash-mismatch', evidence: { actualHash: sha1(content('swapped', 3001)) } });
    expect(reread.reads()).toEqual(['sha.pdf:sha1']);
  });

  it('of files the catalog no longer has are dropped', async () => {
    const fixture = await cloudFixture();
    await precomputeDigests(fixture.db, fixture.config);
    const kept = () => Number(fixture.db.prepare('SELECT COUNT(*) FROM ContentDigest').pluck().get());
    expect(kept()).toBe(7);
    fs.rmSync(path.join(fixture.space, 'cloud/md5.xlsx'));
    await fixture.scan();
    await precomputeDigests(fixture.db, fixture.config);
    expect(kept()).toBe(6);
  });

  it('are read again for files changed or gone since the pre-pass, with the errors a read gives', async () => {
    const fixture = await cloudFixture();
    expect((await precomputeDigests(fixture.db, fixture.config)).read).toBe(7);
    const file = (rel: string) => path.join(fixture.space, 'cloud', rel);
    fs.writeFileSync(file('sha.pdf'), content('rewritten', 3001)); // same size, new content and mtime
    fs.appendFileSync(file('md5.xlsx'), 'more'); // grew
    fs.rmSync(file('qx.docx')); // gone
    const onMain = mainThreadReads();
    const ahead = matchAll(fixture);
    expect(onMain.reads()).toEqual(['md5.xlsx:md5', 'qx.docx:quickxor', 'sha.pdf:sha1']);
    expect(ahead['sha.pdf']).toMatchObject({ status: 'hash-mismatch', evidence: { actualHash: sha1(content('rewritten', 3001)) } });
    expect(ahead['md5.xlsx']).toMatchObject({ status: 'unreadable', evidence: { errorCode: 'ECHANGED' } });
    expect(ahead['qx.docx']).toMatchObject({ status: 'unreadable', evidence: { errorCode: 'ENOENT' } });
    expect(ahead['xx.bin']!.status).toBe('hash-match');
    const kept = classifyAll(fixture);
    forgetDigests(fixture);
    expect(matchAll(fixture)).toEqual(ahead);
    expect(classifyAll(fixture)).toEqual(kept);
    // The moved file's folder replaced by a file: no lstat (ENOTDIR), so it is read, and is not there.
    await precomputeDigests(fixture.db, fixture.config);
    fs.rmSync(file('new'), { recursive: true });
    fs.writeFileSync(file('new'), 'not a folder');
    const classified = classifyAll(fixture);
    expect(classified.findings.filter((finding) => finding.kind === 'missing').map((finding) => finding.paths)).toEqual([['m365:old/moved.txt']]);
    forgetDigests(fixture);
    expect(classifyAll(fixture)).toEqual(classified);
  });

  it('leave a counterpart that cannot be read unreadable, with its error', async () => {
    const fixture = await cloudFixture();
    // Replaced by a symlink after the scan: neither reader follows it.
    const target = path.join(fixture.space, 'cloud/sha.pdf');
    fs.renameSync(target, `${target}.real`);
    fs.symlinkSync(`${target}.real`, target);
    expect((await precomputeDigests(fixture.db, fixture.config)).read).toBe(7);
    expect(fixture.db.prepare("SELECT COUNT(*) FROM ContentDigest WHERE kind = 'sha1'").pluck().get()).toBe(3); // not sha.pdf
    const ahead = matchAll(fixture);
    expect(ahead['sha.pdf']).toMatchObject({ status: 'unreadable', strength: 'none', evidence: { errorCode: 'ELOOP' } });
    const classified = classifyAll(fixture);
    forgetDigests(fixture);
    expect(matchAll(fixture)).toEqual(ahead);
    expect(classifyAll(fixture)).toEqual(classified);
  });

  it('in `reconcile plan`, run by a user who may not read a counterpart, leave it unreadable (EACCES for real)', async (ctx) => {
    const unavailable = nobodyUnavailable();
    if (unavailable) ctx.skip(unavailable);
    const fixture = await cloudFixture();
    fixture.db.close();
    fs.chmodSync(path.join(fixture.space, 'cloud/sha.pdf'), 0o600); // root's own
    fs.chmodSync(fixture.dir, 0o755);
    spawnSync('chown', ['-R', `${nobody}:${nobody}`, fixture.dataDir]);
    const result = runCliAsNobody(['--config', path.join(fixture.dir, 'reconcile.yaml'), '--json', 'plan'], { dataDir: fixture.dataDir });
    expect(result.status, result.stderr).toBe(0);
    // The read-ahead ran (its progress), and the counterpart it could not read counts as unreadable.
    expect(result.stderr).toContain('"phase":"reading counterparts"');
    expect(JSON.parse(result.stdout).summary.completeness).toMatchObject([
      { source: 'm365', files: 8, present: { files: 6 }, unreadable: { files: 1 }, partial: { files: 1 } },
    ]);
  });

  it('read nothing and start no worker when no inventory carries a hash to confirm', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [{ id: 'mac', kind: 'rsync', class: 'local', landing: 'mike' }] });
    fixture.write('mike/a.txt', 'a');
    await fixture.scan();
    fixture.origin('mac', [{ relPath: 'a.txt', size: 1 }]);
    const started = vi.spyOn(HashPool.prototype, 'run');
    expect(await precomputeDigests(fixture.db, fixture.config)).toEqual({ read: 0, kept: 0, bytes: 0 });
    expect(started).not.toHaveBeenCalled();
  });
});
