/** Origins that let a fetch down: one not there (not mounted), one that no longer has a listed file. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { enqueueFetch } from '../../engine/recover/index.ts';
import { runCli } from '../helpers.ts';
import { SpaceFixture } from '../plan/fixture.ts';
import { ensureTools } from './fixture.ts';

describe('recover --fetch against origins that let it down', () => {
  it('says an origin is unreachable, and names what an origin no longer has with the remedy', async (ctx) => {
    const missingTools = ensureTools();
    if (missingTools) return ctx.skip(missingTools);
    const fixture = new SpaceFixture();
    fixture.configure({
      sources: [
        { id: 'gone', host: 'count-zero', kind: 'rsync', class: 'local', origin: '/Users/miket/gone/', landing: 'mike/gone', reach: 'not-mounted' },
        { id: 'mac', host: 'count-zero', kind: 'rsync', class: 'local', origin: '/Users/miket/dev/', landing: 'mike/dev', reach: 'origin' },
      ],
    });
    fs.mkdirSync(path.join(fixture.dir, 'origin/docs'), { recursive: true });
    fs.writeFileSync(path.join(fixture.dir, 'origin/docs/still.txt'), 'still here');
    await fixture.scan();
    fixture.origin('gone', [{ relPath: 'a.txt', size: 1 }], '/Users/miket/gone');
    fixture.origin('mac', [{ relPath: 'docs/still.txt', size: 10 }, { relPath: 'docs/deleted.txt', size: 7 }], '/Users/miket/dev');
    fixture.db.close();
    const cli = (...args: string[]) => runCli(['--config', path.join(fixture.dir, 'reconcile.yaml'), ...args], { dataDir: fixture.dataDir });

    const fetched = cli('--json', 'recover', '--fetch');
    expect(fetched.status).toBe(1);
    const result = JSON.parse(fetched.stdout) as { fetch: { source: string; status: string; exitCode: number | null; arrived: number; message: string }[] };
    expect(result.fetch).toEqual([
      expect.objectContaining({ source: 'gone', status: 'unreachable', message: expect.stringMatching(/origin folder .*not-mounted cannot be read \(ENOENT; not mounted\?\)/) }),
      expect.objectContaining({ source: 'mac', status: 'partial', exitCode: 23, arrived: 1, message: expect.stringContaining('some files were not transferred') }),
    ]);
    expect(fs.readFileSync(path.join(fixture.space, 'inbox/recovery/mac/docs/still.txt'), 'utf8')).toBe('still here');

    // rsync's log was imported: the entry says the origin no longer has it, and what to do; once the
    // fetched file is scanned and matched, only that entry is left to fetch.
    expect(runCli(['--config', path.join(fixture.dir, 'reconcile.yaml'), 'scan'], { dataDir: fixture.dataDir }).status).toBe(0);
    const after = JSON.parse(cli('--json', 'recover', '--source', 'mac').stdout) as { sources: { entries: { path: string; remedy: string | null }[]; fetched: { path: string }[] }[] };
    expect(after.sources[0]!.entries).toEqual([
      expect.objectContaining({ path: 'docs/deleted.txt', remedy: expect.stringMatching(/^the origin no longer has it .*No such file or directory.*; waive it \(reconcile waive\)/) }),
    ]);
    expect(after.sources[0]!.fetched).toEqual([expect.objectContaining({ path: 'docs/still.txt' })]);
  });
});

describe('a fetch as a worker job', () => {
  it('fetches what the worker can reach, with progress, and audits it', async (ctx) => {
    const missingTools = ensureTools();
    if (missingTools) return ctx.skip(missingTools);
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [{ id: 'mac', host: 'count-zero', kind: 'rsync', class: 'local', origin: '/Users/miket/dev/', landing: 'mike/dev', reach: 'origin' }] });
    fs.mkdirSync(path.join(fixture.dir, 'origin'), { recursive: true });
    fs.writeFileSync(path.join(fixture.dir, 'origin/a.txt'), 'aaa');
    await fixture.scan();
    fixture.origin('mac', [{ relPath: 'a.txt', size: 3 }], '/Users/miket/dev');
    const cli = (...args: string[]) => runCli(['--config', path.join(fixture.dir, 'reconcile.yaml'), ...args], { dataDir: fixture.dataDir });
    expect(cli('plan').status).toBe(0);
    const job = enqueueFetch(fixture.db, fixture.config, { actor: 'mike@example.com' });
    expect(job).toMatchObject({ kind: 'recover-fetch', status: 'queued' });
    expect(() => enqueueFetch(fixture.db, fixture.config, { sources: ['nope'], actor: 'x' })).toThrow(/unknown source nope/);
    expect(cli('worker', '--until-idle', '--poll-ms', '50').status).toBe(0);
    const done = fixture.db.prepare('SELECT status, resultJson, progressJson FROM Job WHERE id = ?').get(job.id) as { status: string; resultJson: string; progressJson: string };
    expect(done.status).toBe('succeeded');
    expect(JSON.parse(done.resultJson)).toEqual([expect.objectContaining({ source: 'mac', status: 'fetched', arrived: 1 })]);
    expect(JSON.parse(done.progressJson)).toMatchObject({ phase: 'mac', done: 1, total: 1 });
    expect(fs.readFileSync(path.join(fixture.space, 'inbox/recovery/mac/a.txt'), 'utf8')).toBe('aaa');
    expect(fixture.db.prepare("SELECT actor, targetId FROM AuditEvent WHERE action = 'recovery.fetched'").all()).toEqual([{ actor: 'mike@example.com', targetId: 'mac' }]);
    // Asked again, the same job fetches again (nothing new arrives: the tools skip what is whole).
    expect(enqueueFetch(fixture.db, fixture.config, { actor: 'mike@example.com' })).toMatchObject({ id: job.id, status: 'queued' });
  });
});

describe('macOS privacy blocks named by the origin manifest', () => {
  it('gives the Full Disk Access remedy for a file it could not read and a folder it could not list', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [{ id: 'mac', host: 'count-zero', kind: 'rsync', class: 'local', origin: '/Users/miket/', landing: 'mike/home' }] });
    await fixture.scan();
    fixture.origin('mac', [{ relPath: 'Documents/tax.pdf', size: 9 }], '/Users/miket');
    // As manifest v2 records them: a file read with EPERM, a folder listed with EPERM (its content unknown).
    fixture.db.prepare("UPDATE OriginEntry SET errorCode = 'EPERM' WHERE relPath = 'Documents/tax.pdf'").run();
    const inventory = fixture.db.prepare("SELECT inventoryId FROM OriginEntry WHERE relPath = 'Documents/tax.pdf'").pluck().get();
    fixture.db
      .prepare("INSERT INTO OriginEntry (inventoryId, sourceId, relPath, originPath, nfcKey, foldKey, isDir, size, errorCode) VALUES (?, 'mac', 'Downloads', '/Users/miket/Downloads', 'Downloads', 'downloads', 1, 0, 'EPERM')")
      .run(inventory);
    fixture.db.close();
    const recover = JSON.parse(runCli(['--config', path.join(fixture.dir, 'reconcile.yaml'), '--json', 'recover'], { dataDir: fixture.dataDir }).stdout) as {
      sources: { entries: { path: string; remedy: string | null }[]; blocked: { path: string; remedy: string | null }[] }[];
    };
    const [mac] = recover.sources;
    expect(mac!.entries).toEqual([expect.objectContaining({ path: 'Documents/tax.pdf', remedy: expect.stringMatching(/macOS privacy protection \(TCC\).*Full Disk Access/) })]);
    expect(mac!.blocked).toEqual([{ path: 'Downloads', message: 'the origin manifest could not list it (EPERM)', remedy: expect.stringMatching(/Full Disk Access.*run the transfer of that folder again/) }]);
  });
});
