// Crashes and races at the exact system call, on real files through the real CLI: a move never
// replaces a file (apply or rollback), a move cut between its two steps loses nothing, and a
// rollback killed mid-step checks again on resume instead of overwriting what is there now.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { getRun, runOperations } from '../../engine/apply/index.ts';
import { readJournal } from '../../engine/journal/index.ts';
import { runCli, tempDir } from '../helpers.ts';
import { archivedDuplicates, buildFixture, snapshotTree, type Fixture } from './fixture.ts';
import { namingCalls, runInjected, straceUnavailable } from './syscalls.ts';

const unavailable = straceUnavailable();
const fixtures: Fixture[] = [];
const mounts: string[] = [];
afterAll(() => {
  for (const mount of mounts) spawnSync('umount', [mount]);
  for (const fixture of fixtures) {
    fixture.close();
    fs.rmSync(fixture.root, { recursive: true, force: true });
  }
});

function threeMoves(): Fixture {
  const { files, decisions } = archivedDuplicates(['alpha', 'bravo', 'charlie'].map((word) => ({ rel: `mike/${word}.txt`, content: Buffer.from(word) })));
  const fixture = buildFixture(tempDir('reconcile-interrupt-'), files, decisions);
  fixtures.push(fixture);
  return fixture;
}

const cli = (fixture: Fixture, args: string[]) => runCli(['--config', fixture.configFile, '--json', ...args], { dataDir: fixture.dataDir });
const inSpace = (fixture: Fixture, rel: string) => path.join(fixture.space, rel);

/** Queues the run without running it, so its archive paths are known. */
function queued(fixture: Fixture): string {
  const result = cli(fixture, ['apply', '--queue']);
  expect(result.status, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { run: { id: string } }).run.id;
}

/** Three moves applied; charlie.txt (the newest step, undone first) where it was and where it went. */
function appliedThreeMoves() {
  const fixture = threeMoves();
  const applied = cli(fixture, ['apply']);
  expect(applied.status, applied.stderr).toBe(0);
  const runId = (JSON.parse(applied.stdout) as { run: { id: string } }).run.id;
  return { fixture, runId, original: inSpace(fixture, 'mike/charlie.txt'), archived: inSpace(fixture, `archive/reconciliation/${runId}/mike/charlie.txt`) };
}

function recordsOf(fixture: Fixture, runId: string) {
  return readJournal(getRun(fixture.db, runId)!.journalPath).records;
}

describe('moves at the system call', () => {
  beforeEach((ctx) => {
    if (unavailable) ctx.skip(unavailable);
  });

  it('resumes a rollback killed mid-step by checking again: a file written at the old path meanwhile stays', async () => {
    const { fixture, runId, original, archived } = appliedThreeMoves();

    // The newest step is undone first: SIGKILL as it gives charlie.txt its old name back.
    const killed = runInjected(['--config', fixture.configFile, 'rollback', 'latest'], { dataDir: fixture.dataDir, calls: namingCalls, onPath: archived, action: 'kill' });
    expect((await killed.exited).signal ?? (await killed.exited).code, killed.stderr()).toMatch(/SIGKILL|137/);
    const charlie = runOperations(fixture.db, runId).find((op) => op.from!.toString().endsWith('charlie.txt'))!;
    const undo = recordsOf(fixture, runId).filter((record) => 'id' in record && record.id === charlie.id).map((record) => record.t);
    expect(undo).toContain('undo-intent');
    expect(undo).not.toContain('undo-done');
    expect(fs.existsSync(original)).toBe(false);

    // Meanwhile someone writes new work at the old path.
    fs.writeFileSync(original, 'new work, not in any archive');
    const resumed = cli(fixture, ['rollback', 'latest']);
    expect(resumed.status, resumed.stdout + resumed.stderr).toBe(1);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'partial', restored: 2, refused: [{ id: charlie.id, reason: expect.stringMatching(/charlie\.txt exists again/) }] });
    expect(fs.readFileSync(original, 'utf8')).toBe('new work, not in any archive');
    expect(fs.readFileSync(archived, 'utf8')).toBe('charlie');
    expect(fs.readFileSync(inSpace(fixture, 'mike/alpha.txt'), 'utf8')).toBe('alpha');
    expect(fs.readFileSync(inSpace(fixture, 'mike/bravo.txt'), 'utf8')).toBe('bravo');
  });

  it('finishes a move killed between its link and the unlink of the old name, losing nothing', async () => {
    const fixture = threeMoves();
    const runId = queued(fixture);
    const source = inSpace(fixture, 'mike/bravo.txt');
    const archived = inSpace(fixture, `archive/reconciliation/${runId}/mike/bravo.txt`);
    const killed = runInjected(['--config', fixture.configFile, 'apply'], { dataDir: fixture.dataDir, calls: ['unlink', 'unlinkat'], onPath: source, action: 'kill' });
    expect((await killed.exited).signal ?? (await killed.exited).code, killed.stderr()).toMatch(/SIGKILL|137/);
    // Both names on one inode: the new one made, the old one not yet dropped.
    const [old, made] = [fs.statSync(source), fs.statSync(archived)];
    expect([made.ino, made.nlink]).toEqual([old.ino, 2]);

    const resumed = cli(fixture, ['apply']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ state: 'resumed', summary: { done: 3, skipped: 0, failed: 0 }, verification: { outcome: 'complete' } });
    expect(fs.existsSync(source)).toBe(false);
    expect([fs.readFileSync(archived, 'utf8'), fs.statSync(archived).nlink]).toEqual(['bravo', 1]);
    const outcomes = recordsOf(fixture, runId).filter((record) => record.t === 'done' || record.t === 'skip');
    expect(outcomes).toHaveLength(3);
  });

  it('never replaces a file created at the destination just before the move (apply)', async () => {
    const fixture = threeMoves();
    const runId = queued(fixture);
    const destination = inSpace(fixture, `archive/reconciliation/${runId}/mike/alpha.txt`);
    // (strace matches a rename by its first path only, so the call is found by its source.)
    const held = runInjected(['--config', fixture.configFile, '--json', 'apply'], { dataDir: fixture.dataDir, calls: namingCalls, onPath: inSpace(fixture, 'mike/alpha.txt'), action: { delayMs: 1500 } });
    await held.heldInNamingCall();
    // A live transfer writes the name while apply sits at the entry of its move.
    fs.writeFileSync(destination, 'arrived a moment ago');
    expect((await held.exited).code, held.stderr()).toBe(0);
    expect(fs.readFileSync(destination, 'utf8')).toBe('arrived a moment ago');
    expect(fs.readFileSync(inSpace(fixture, 'mike/alpha.txt'), 'utf8')).toBe('alpha');
    const alpha = runOperations(fixture.db, runId).find((op) => op.from!.toString().endsWith('alpha.txt'))!;
    expect(alpha).toMatchObject({ status: 'skipped', reason: 'destination-exists' });
  });

  it('never replaces a file created at the old path just before a step is undone (rollback)', async () => {
    const { fixture, original, archived } = appliedThreeMoves();
    const held = runInjected(['--config', fixture.configFile, '--json', 'rollback', 'latest'], { dataDir: fixture.dataDir, calls: namingCalls, onPath: archived, action: { delayMs: 1500 } });
    await held.heldInNamingCall();
    fs.writeFileSync(original, 'written during the rollback');
    expect((await held.exited).code, held.stdout()).toBe(1);
    expect(JSON.parse(held.stdout())).toMatchObject({ status: 'partial', restored: 2, refused: [{ reason: expect.stringMatching(/exists again/) }] });
    expect(fs.readFileSync(original, 'utf8')).toBe('written during the rollback');
    expect(fs.readFileSync(archived, 'utf8')).toBe('charlie');
  });

  it('moves by a verified copy where no hard link can be made (EXDEV across a bind mount), crash included', async (ctx) => {
    const fixture = threeMoves();
    const archive = inSpace(fixture, 'archive');
    fs.mkdirSync(archive);
    const mounted = spawnSync('mount', ['--bind', archive, archive], { encoding: 'utf8' });
    if (mounted.status !== 0) ctx.skip(`cannot bind-mount a folder (${mounted.stderr.trim()})`);
    mounts.push(archive);
    const before = snapshotTree(fixture.space);
    const runId = queued(fixture);
    const source = inSpace(fixture, 'mike/bravo.txt');
    const archived = inSpace(fixture, `archive/reconciliation/${runId}/mike/bravo.txt`);
    // Killed after the copy is complete and fsynced, as the old name is about to go.
    const killed = runInjected(['--config', fixture.configFile, 'apply'], { dataDir: fixture.dataDir, calls: ['unlink', 'unlinkat'], onPath: source, action: 'kill' });
    expect((await killed.exited).signal ?? (await killed.exited).code, killed.stderr()).toMatch(/SIGKILL|137/);
    expect(fs.statSync(archived).ino).not.toBe(fs.statSync(source).ino);
    expect(recordsOf(fixture, runId).some((record) => record.t === 'copying')).toBe(true);

    const resumed = cli(fixture, ['apply']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ summary: { done: 3, failed: 0 }, verification: { outcome: 'complete' } });
    expect(fs.existsSync(source)).toBe(false);
    expect(fs.readFileSync(archived, 'utf8')).toBe('bravo');
    expect(JSON.parse(cli(fixture, ['verify', runId]).stdout)).toMatchObject({ outcome: 'complete' });

    const rolledBack = cli(fixture, ['rollback', 'latest']);
    expect(rolledBack.status, rolledBack.stdout).toBe(0);
    expect(snapshotTree(fixture.space)).toEqual(before);
  });
});
