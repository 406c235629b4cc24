// Verification proves conservation by reading bytes, follows moves across runs, and says
// complete / outstanding / failed (exit 0 / 3 / 1) — on real files, a real scan and the real CLI.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import xxhash from 'xxhash-addon';
import { enqueueApply, executeRun } from '../../engine/apply/index.ts';
import { loadConfig, loadEnv, type Config } from '../../engine/config/index.ts';
import { verify } from '../../engine/verify/index.ts';
import { runCli, tempDir } from '../helpers.ts';
import { SpaceFixture, sharedLanding, twoSources, twoVersionsInventoried } from '../plan/fixture.ts';
import { addDecisions, buildFixture, type Fixture } from './fixture.ts';

const xxh = (content: string | Buffer) => xxhash.XXHash128.hash(Buffer.from(content)).toString('hex');

/** Overwrites a file with zeros of the same size and puts its mtime back: only the bytes (and ctime) tell. */
function zeroInPlace(file: string): void {
  const stat = fs.statSync(file);
  fs.writeFileSync(file, Buffer.alloc(stat.size));
  fs.utimesSync(file, stat.atime, stat.mtime);
}

function cliFor(fixture: SpaceFixture) {
  const config = path.join(fixture.dir, 'reconcile.yaml');
  return (args: string[]) => runCli(['--config', config, ...args], { dataDir: fixture.dataDir });
}

function verifyJson(cli: ReturnType<typeof cliFor>, args: string[] = []) {
  const result = cli(['--json', 'verify', ...args]);
  return { status: result.status, result: JSON.parse(result.stdout) as { outcome: string; conservation: { lost: { reason: string; survivesAt: string[]; hash: string | null }[] }; origins: { sources: { source: string; byReason: Record<string, { files: number }> }[] } } };
}

describe('verify reads the bytes', () => {
  it('fails when the kept copy of an archived duplicate is overwritten with zeros of the same size, or vanishes', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    const logo = 'logo bytes '.repeat(500);
    fixture.write('mike/brand/logo.png', logo);
    fixture.write('inbox/wm/brand/logo.png', logo);
    const cli = cliFor(fixture);
    expect(cli(['scan']).status).toBe(0);
    expect(cli(['plan']).status).toBe(0);
    expect(cli(['decide', '--approve-all']).status).toBe(0);
    const applied = cli(['--json', 'apply']);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    const runId = JSON.parse(applied.stdout).run.id as string;

    const intact = cli(['verify']);
    expect(intact.status, intact.stdout).toBe(0);
    expect(intact.stdout.split('\n')[0]).toMatch(/^complete: the space: every origin entry accounted for, every content conserved/);

    // The keeper is the only live copy; zeroed in place it still has its size and mtime.
    zeroInPlace(`${fixture.space}/mike/brand/logo.png`);
    const zeroed = verifyJson(cli);
    expect(zeroed.status).toBe(1);
    expect(zeroed.result.outcome).toBe('failed');
    expect(zeroed.result.conservation.lost).toMatchObject([
      { hash: xxh(logo), reason: 'only-in-archive', survivesAt: [`${fixture.space}/archive/reconciliation/${runId}/inbox/wm/brand/logo.png`] },
    ]);
    const human = cli(['verify', runId]);
    expect(human.status).toBe(1);
    expect(human.stdout.split('\n')[0]).toBe(`FAILED: run ${runId}: 1 content(s) lost`);

    fs.rmSync(`${fixture.space}/mike/brand/logo.png`);
    expect(verifyJson(cli).result.conservation.lost).toMatchObject([{ reason: 'only-in-archive' }]);
  });

  it('fails when the only copy of a file no run touched is zeroed in place (hashed or never hashed)', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    // Same size, other bytes: the scan hashes both; a size of its own: never hashed.
    fixture.write('mike/docs/a.txt', 'aaaaaaaaaa');
    fixture.write('mike/docs/b.txt', 'bbbbbbbbbb');
    fixture.write('mike/docs/only.pdf', 'the only copy of this contract');
    const cli = cliFor(fixture);
    expect(cli(['scan']).status).toBe(0);
    expect(verifyJson(cli)).toMatchObject({ status: 0, result: { outcome: 'complete' } });
    zeroInPlace(`${fixture.space}/mike/docs/a.txt`);
    zeroInPlace(`${fixture.space}/mike/docs/only.pdf`);
    const { status, result } = verifyJson(cli);
    expect(status).toBe(1);
    expect(result.conservation.lost.map((lost) => [lost.reason, lost.hash]).sort()).toEqual([
      ['changed-since-scan', null],
      ['lost', xxh('aaaaaaaaaa')],
    ]);
    // A rescan accepts the change: the catalog now knows the new bytes.
    expect(cli(['scan']).status).toBe(0);
    expect(verifyJson(cli).result.outcome).toBe('complete');
  });

  it('says outstanding (exit 3) for origin entries the space lacks, per source and reason, and complete once they arrive', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    fixture.write('mike/docs/report.txt', 'the report');
    fixture.write('mike/docs/short.txt', 'half');
    fixture.write('mike/docs/empty.txt', '');
    const cli = cliFor(fixture);
    expect(cli(['scan']).status).toBe(0);
    fixture.origin('motoko', [
      { relPath: 'docs/report.txt', size: 10, xxh128: xxh('the report') },
      { relPath: 'docs/short.txt', size: 8, xxh128: xxh('half way') },
      { relPath: 'docs/empty.txt', size: 5, xxh128: xxh('empty') },
      { relPath: 'docs/never.txt', size: 5, xxh128: xxh('never') },
    ]);
    const human = cli(['verify']);
    expect(human.status, human.stdout).toBe(3);
    expect(human.stdout.split('\n')[0]).toBe('outstanding: the space: nothing lost; 3 origin entries (18 B) still to fetch from motoko');
    const { result } = verifyJson(cli);
    expect(result.outcome).toBe('outstanding');
    expect(result.origins.sources).toMatchObject([{ source: 'motoko', byReason: { missing: { files: 1 }, partial: { files: 1 }, placeholder: { files: 1 } } }]);

    fixture.write('mike/docs/short.txt', 'half way');
    fixture.write('mike/docs/empty.txt', 'empty');
    fixture.write('mike/docs/never.txt', 'never');
    expect(cli(['scan']).status).toBe(0);
    expect(verifyJson(cli)).toMatchObject({ status: 0, result: { outcome: 'complete' } });
  });

  it('accounts for an overwritten version by its copy elsewhere, checked by its hash, also once a run moved it to the conflicts folder', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(sharedLanding);
    const mtime = 1_767_000_000;
    const mtimeNs = BigInt(mtime) * 1_000_000_000n;
    const sent = 'invoice, as sent. '.repeat(100);
    const draft = 'invoice, draft 1. '.repeat(90);
    const draftAt = 'inbox/wintermute-mdt_/OneDrive - MikeT LLC/_MAIN_FILES/Invoice_2023_003.docx';
    fixture.write('mike/_MAIN_FILES/Invoice_2023_003.docx', sent, mtime);
    // The same name and size with other bytes: the inventory's SHA-1 tells it is not the draft.
    fixture.write(draftAt, 'invoice, draft 2. '.repeat(90), mtime - 86400);
    const cli = cliFor(fixture);
    expect(cli(['scan']).status).toBe(0);
    twoVersionsInventoried(fixture, 'Invoice_2023_003.docx', { mac: sent, m365: draft }, mtimeNs);
    const other = verifyJson(cli);
    expect(other.status).toBe(3);
    expect(other.result.origins.sources).toMatchObject([{ source: 'm365', byReason: { 'overwritten-version': { files: 1 } } }, { source: 'mac', byReason: {} }]);

    fixture.write(draftAt, draft, mtime - 86400);
    expect(cli(['scan']).status).toBe(0);
    expect(verifyJson(cli)).toMatchObject({ status: 0, result: { outcome: 'complete' } });

    // Approved, the conflict keeps the sent invoice in place and moves the draft to the run's conflicts folder.
    expect(cli(['plan']).status).toBe(0);
    expect(cli(['decide', '--approve-all']).status).toBe(0);
    const applied = cli(['--json', 'apply']);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    const runId = JSON.parse(applied.stdout).run.id as string;
    expect(fs.existsSync(`${fixture.space}/${draftAt}`)).toBe(false);
    const conflicts = `${fixture.space}/inbox/reconciliation/runs/${runId}/conflicts`;
    const moved = (fs.readdirSync(conflicts, { recursive: true }) as string[]).filter((name) => name.endsWith('Invoice_2023_003.docx'));
    expect(moved).toHaveLength(1);
    expect(fs.readFileSync(path.join(conflicts, moved[0]!), 'utf8')).toBe(draft);
    const after = cli(['verify', runId]);
    expect(after.status, after.stdout).toBe(0);
    expect(after.stdout.split('\n')[0]).toMatch(/^complete: /);
  });
});

describe('verify follows moves across runs', () => {
  const open: Fixture[] = [];
  afterEach(() => {
    for (const fixture of open.splice(0)) fixture.close();
  });

  async function applyAll(fixture: Fixture, config: Config): Promise<string> {
    const queued = enqueueApply(fixture.db, config, 'test');
    if (queued.state === 'nothing') throw new Error('nothing queued');
    await executeRun(fixture.db, config, queued.run.id, { actor: 'test' });
    return queued.run.id;
  }

  it('A→B in one run and B→C in the next: both runs verify at C, and damage at C fails the first run too', async () => {
    const fixture = buildFixture(tempDir('reconcile-verify-'), [{ rel: 'mike/inbox/a.txt', content: Buffer.from('only copy, moved twice') }], [
      [{ op: 'move', from: 'mike/inbox/a.txt', to: 'mike/sorted/a.txt' }],
    ]);
    open.push(fixture);
    const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' }) });
    const first = await applyAll(fixture, config);
    // The second decision archives it as litter would be: a decision that means its only copy to go there.
    addDecisions(fixture.db, fixture.space, [[{ op: 'move', from: 'mike/sorted/a.txt', to: 'archive/reconciliation/{run}/mike/sorted/a.txt' }]], 'artifact');
    const second = await applyAll(fixture, config);
    const final = path.join(fixture.space, 'archive/reconciliation', second, 'mike/sorted/a.txt');
    expect(fs.readFileSync(final, 'utf8')).toBe('only copy, moved twice');

    for (const run of [first, second, undefined]) {
      const verification = await verify(fixture.db, config, run ? { run } : {});
      expect(verification, run ?? 'space').toMatchObject({ outcome: 'complete', operations: { problemCount: 0 }, conservation: { lostCount: 0, inReconciliation: 1 } });
    }
    zeroInPlace(final);
    const damaged = await verify(fixture.db, config, { run: first });
    expect(damaged.outcome).toBe('failed');
    expect(damaged.operations.problems).toMatchObject([{ runId: first, problem: `destination does not hash as planned (moved on by a later run to ${final})`, path: final }]);
    expect(damaged.conservation.lost).toMatchObject([{ reason: 'lost', touchedByRun: true }]);
    // Re-read on the hash workers: the run in scope is never trusted from a kept digest.
    expect(damaged.read.files).toBeGreaterThanOrEqual(1);
  });

  it('a content archived by a duplicate decision whose keeper is gone survives only in the archive: failed', async () => {
    const fixture = buildFixture(
      tempDir('reconcile-verify-'),
      [
        { rel: 'mike/a/report.pdf', content: Buffer.from('report') },
        { rel: 'mike/b/report.pdf', content: Buffer.from('report') },
      ],
      [[{ op: 'move', from: 'mike/b/report.pdf', to: 'archive/reconciliation/{run}/mike/b/report.pdf' }]],
    );
    open.push(fixture);
    const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' }) });
    const runId = await applyAll(fixture, config);
    expect((await verify(fixture.db, config, { run: runId })).outcome).toBe('complete');
    fs.rmSync(path.join(fixture.space, 'mike/a/report.pdf'));
    const verification = await verify(fixture.db, config, { run: runId });
    expect(verification.outcome).toBe('failed');
    expect(verification.conservation.lost).toMatchObject([{ reason: 'only-in-archive', survivesAt: [path.join(fixture.space, 'archive/reconciliation', runId, 'mike/b/report.pdf')] }]);
  });
});
