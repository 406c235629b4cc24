// A run the database lost (power loss under synchronous = NORMAL, a restored backup) is rebuilt
// from its journal: `reconcile repair`, and at the start of every apply.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.ts';
import { archivedDuplicates, buildFixture, snapshotTree, type Fixture, type FixtureFile, type FixtureStep } from './fixture.ts';
import { namingCalls, runInjected, straceUnavailable } from './syscalls.ts';

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const fixture of fixtures) {
    fixture.close();
    fs.rmSync(fixture.root, { recursive: true, force: true });
  }
});

function setUp(files: FixtureFile[], decisions: FixtureStep[][]): Fixture {
  const fixture = buildFixture(tempDir('reconcile-repair-'), files, decisions);
  fixtures.push(fixture);
  return fixture;
}

const cli = (fixture: Fixture, args: string[]) => runCli(['--config', fixture.configFile, '--json', ...args], { dataDir: fixture.dataDir });

/** What the database knew of the run, to compare with what repair rebuilds. */
function runRows(fixture: Fixture) {
  return {
    runs: fixture.db.prepare('SELECT id, opsHash, status, createdBy, opCount, doneCount, skippedCount, failedCount, journalPath FROM ApplyRun').all(),
    operations: fixture.db
      .prepare(
        `SELECT id, seq, decisionKey, findingId, op, fromRaw, toRaw, expectSize, expectMtimeNs, expectHash, status, reason, resultHash
         FROM Operation ORDER BY seq`,
      )
      .all(),
  };
}

/** What a power loss or an old backup does: the run rows gone, the decisions not marked carried out. */
function loseTheRuns(fixture: Fixture): void {
  fixture.db.exec('DELETE FROM ApplyRun; UPDATE Decision SET appliedRunId = NULL;');
}

describe('repair', () => {
  it('rebuilds a finished run from its journal, row for row; verify and rollback work on it', () => {
    const fixture = setUp(
      [
        { rel: 'mike/a.txt', content: Buffer.from('alpha') },
        { rel: 'mike/keep/a.txt', content: Buffer.from('alpha') },
        { rel: 'mike/b.txt', content: Buffer.from('bravo') },
        { rel: 'mike/taken.txt', content: Buffer.from('someone else') },
      ],
      [
        [{ op: 'move', from: 'mike/a.txt', to: 'archive/reconciliation/{run}/mike/a.txt', keeper: 'mike/keep/a.txt' }],
        [{ op: 'copy', from: 'mike/b.txt', to: 'mike/copies/b.txt' }],
        [{ op: 'copy', from: 'mike/b.txt', to: 'mike/taken.txt' }],
        [{ op: 'mkdir', to: 'mike/sorted' }],
      ],
    );
    const before = snapshotTree(fixture.space);
    expect(cli(fixture, ['apply']).status).toBe(0);
    const known = runRows(fixture);
    expect(known.operations.map((row) => (row as { status: string }).status).sort()).toEqual(['done', 'done', 'done', 'skipped']);

    loseTheRuns(fixture);
    const repaired = cli(fixture, ['repair']);
    expect(repaired.status, repaired.stderr).toBe(0);
    const runId = (known.runs[0] as { id: string }).id;
    expect(JSON.parse(repaired.stdout)).toEqual({ journals: 1, rebuilt: [{ runId, status: 'succeeded', operations: 4, of: 4 }] });
    expect(runRows(fixture)).toEqual(known);
    expect(JSON.parse(cli(fixture, ['repair']).stdout)).toEqual({ journals: 1, rebuilt: [] });

    expect(JSON.parse(cli(fixture, ['verify', runId]).stdout)).toMatchObject({ outcome: 'complete' });
    const rolledBack = cli(fixture, ['rollback', runId]);
    expect(rolledBack.status, rolledBack.stdout).toBe(0);
    expect(snapshotTree(fixture.space)).toEqual(before);
  });

  it('rebuilds a lost run before apply queues anything, so the work is not queued twice', () => {
    const { files, decisions } = archivedDuplicates([{ rel: 'mike/a.txt', content: Buffer.from('alpha') }]);
    const fixture = setUp(files, decisions);
    const first = JSON.parse(cli(fixture, ['apply']).stdout) as { run: { id: string } };
    loseTheRuns(fixture);
    const again = cli(fixture, ['apply']);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ state: 'nothing', runId: null });
    expect(fixture.db.prepare('SELECT id, status FROM ApplyRun').all()).toEqual([{ id: first.run.id, status: 'succeeded' }]);
  });

  it('rebuilds a run killed mid-way as stopped, and rollback undoes what it moved', async (ctx) => {
    const unavailable = straceUnavailable();
    if (unavailable) ctx.skip(unavailable);
    const names = ['one', 'two', 'three', 'four', 'five'];
    const { files, decisions } = archivedDuplicates(names.map((name) => ({ rel: `mike/${name}.txt`, content: Buffer.from(name) })));
    const fixture = setUp(files, decisions);
    const before = snapshotTree(fixture.space);
    const queued = JSON.parse(cli(fixture, ['apply', '--queue']).stdout) as { run: { id: string } };
    const order = fixture.db.prepare('SELECT fromRaw FROM Operation ORDER BY seq').pluck().all() as Buffer[];
    // Killed as the fourth step links its new name. The five moves form one batch: all five
    // intents are in the journal, the first three have both names (their old names go after the
    // batch's folders are fsynced), the fourth and fifth did nothing.
    const killed = runInjected(['--config', fixture.configFile, 'apply'], { dataDir: fixture.dataDir, calls: namingCalls, onPath: order[3]!, action: 'kill' });
    expect((await killed.exited).signal ?? (await killed.exited).code).toMatch(/SIGKILL|137/);

    loseTheRuns(fixture);
    const repaired = cli(fixture, ['repair']);
    expect(JSON.parse(repaired.stdout)).toEqual({ journals: 1, rebuilt: [{ runId: queued.run.id, status: 'failed', operations: 5, of: 5 }] });
    expect(fixture.db.prepare('SELECT error FROM ApplyRun').pluck().get()).toBe('rebuilt from its journal (the database had lost it)');
    const rolledBack = cli(fixture, ['rollback', queued.run.id]);
    expect(rolledBack.status, rolledBack.stdout + rolledBack.stderr).toBe(0);
    expect(JSON.parse(rolledBack.stdout)).toMatchObject({ status: 'rolled-back', restored: 3, refused: [] });
    expect(snapshotTree(fixture.space)).toEqual(before);
    expect(fs.existsSync(path.join(fixture.space, 'mike/four.txt'))).toBe(true);
  });
});
