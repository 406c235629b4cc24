// Apply, resume and rollback in-process on real files and a real database.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueApply, executeRun, getRun, rollbackRun, runOperations, runProblems, runProgress, runStatusCounts } from '../../engine/apply/index.ts';
import { loadConfig, loadEnv, type Config } from '../../engine/config/index.ts';
import { Journal, readJournal } from '../../engine/journal/index.ts';
import { verify } from '../../engine/verify/index.ts';
import { tempDir } from '../helpers.ts';
import { buildFixture, mixedWorkload, snapshotTree, type Fixture } from './fixture.ts';

const open: Fixture[] = [];
afterEach(() => {
  for (const fixture of open.splice(0)) fixture.close();
});

function setUp(...args: Parameters<typeof buildFixture> extends [string, ...infer Rest] ? Rest : never): { fixture: Fixture; config: Config } {
  const fixture = buildFixture(tempDir('reconcile-apply-'), ...args);
  open.push(fixture);
  const env = loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' });
  return { fixture, config: loadConfig({ file: fixture.configFile, env }) };
}

function queue(fixture: Fixture, config: Config): string {
  const queued = enqueueApply(fixture.db, config, 'test');
  if (queued.state === 'nothing') throw new Error('nothing queued');
  return queued.run.id;
}

describe('apply', () => {
  it('moves, copies and creates folders as planned, journaled, and verification passes', async () => {
    const { files, decisions } = mixedWorkload(60);
    const { fixture, config } = setUp(files, decisions);
    const runId = queue(fixture, config);
    const summary = await executeRun(fixture.db, config, runId, { actor: 'test' });
    expect(summary).toMatchObject({ status: 'succeeded', total: 60, done: 60, skipped: 0, failed: 0 });
    for (const op of runOperations(fixture.db, runId)) {
      expect(fs.existsSync(op.to), op.to.toString()).toBe(true);
      if (op.op === 'move') expect(fs.existsSync(op.from!)).toBe(false);
      if (op.op === 'copy') expect(fs.readFileSync(op.to).equals(fs.readFileSync(op.from!))).toBe(true);
    }
    const archived = path.join(fixture.space, 'archive/reconciliation', runId, 'mike/work/d0/file-0.bin');
    expect(fs.statSync(archived).mtimeMs).toBe(1_700_000_000_000);
    const { records } = readJournal(getRun(fixture.db, runId)!.journalPath);
    expect(records.filter((record) => record.t === 'intent')).toHaveLength(60);
    expect(records.filter((record) => record.t === 'done')).toHaveLength(60);
    expect((await verify(fixture.db, config, { run: runId })).outcome).toBe('complete');
    const undecided = fixture.db.prepare('SELECT COUNT(*) AS n FROM Decision WHERE appliedRunId IS NULL').get() as { n: number };
    expect(undecided.n).toBe(0);
    expect(enqueueApply(fixture.db, config, 'test').state).toBe('nothing');
  });

  it('fails verification when a file the run wrote is damaged or gone afterwards', async () => {
    const { files, decisions } = mixedWorkload(20, 3);
    const { fixture, config } = setUp(files, decisions);
    const runId = queue(fixture, config);
    await executeRun(fixture.db, config, runId, { actor: 'test' });
    expect(runProgress(fixture.db, runId)).toMatchObject({ run: { status: 'succeeded' }, operations: { done: 20 } });
    const [moved, copied] = [runOperations(fixture.db, runId).find((op) => op.op === 'move')!, runOperations(fixture.db, runId).find((op) => op.op === 'copy')!];
    fs.renameSync(moved.to, path.join(fixture.root, 'elsewhere'));
    fs.writeFileSync(copied.to, Buffer.alloc(Number(copied.expectSize), 0));
    const verification = await verify(fixture.db, config, { run: runId });
    expect(verification.outcome).toBe('failed');
    expect(verification.operations.problems.map((problem) => problem.problem).sort()).toEqual(['destination does not hash as planned', 'destination missing']);
    // The moved file's kept copy still holds its content; the zeroed copy destination lost nothing (its source stays).
    expect(verification.conservation.lost).toEqual([]);
  });

  it('skips and flags a source edited between plan and apply, never overwriting', async () => {
    const { fixture, config } = setUp(
      [
        { rel: 'mike/a.txt', content: Buffer.from('alpha') },
        { rel: 'mike/b.txt', content: Buffer.from('bravo') },
        { rel: 'mike/taken.txt', content: Buffer.from('other content') },
        { rel: 'mike/c.txt', content: Buffer.from('charlie') },
      ],
      [
        [{ op: 'move', from: 'mike/a.txt', to: 'archive/reconciliation/{run}/mike/a.txt' }],
        [{ op: 'copy', from: 'mike/b.txt', to: 'mike/taken.txt' }],
        [{ op: 'move', from: 'mike/b.txt', to: 'archive/reconciliation/{run}/mike/b.txt' }],
        [{ op: 'copy', from: 'mike/c.txt', to: 'mike/copies/c.txt' }],
      ],
    );
    // Same size and mtime, different content: only the hash can tell (for the copy, the hash of
    // the copy it made, which is what a source edited during the copy would show as well).
    const edited = path.join(fixture.space, 'mike/a.txt');
    const editedCopySource = path.join(fixture.space, 'mike/c.txt');
    fs.writeFileSync(edited, 'ALPHA');
    fs.writeFileSync(editedCopySource, 'CHARLIE');
    for (const file of [edited, editedCopySource]) fs.utimesSync(file, 1_700_000_000, 1_700_000_000);
    const runId = queue(fixture, config);
    const summary = await executeRun(fixture.db, config, runId, { actor: 'test' });
    expect(summary.flagged.map((flag) => flag.reason).sort()).toEqual(['destination-exists', 'source-changed', 'source-changed']);
    expect(fs.readFileSync(edited, 'utf8')).toBe('ALPHA');
    expect(fs.readFileSync(editedCopySource, 'utf8')).toBe('CHARLIE');
    expect(fs.readdirSync(path.join(fixture.space, 'mike/copies'))).toEqual([]);
    expect(fs.readFileSync(path.join(fixture.space, 'mike/taken.txt'), 'utf8')).toBe('other content');
    expect(fs.existsSync(path.join(fixture.space, 'archive/reconciliation', runId, 'mike/b.txt'))).toBe(true);
    expect((await verify(fixture.db, config, { run: runId })).operations.problemCount).toBe(0);
    // What the apply page shows, read by SQL: the same as counting and filtering every operation.
    const operations = runOperations(fixture.db, runId);
    const flagged = operations.filter((op) => op.status === 'skipped' || op.status === 'failed');
    expect(runStatusCounts(fixture.db, runId)).toEqual({ done: operations.length - flagged.length, skipped: flagged.length });
    expect(runProblems(fixture.db, runId, 200)).toEqual(
      flagged.map((op) => ({ id: op.id, op: op.op, path: (op.from ?? op.to).toString('utf8'), status: op.status, reason: op.reason })),
    );
    expect(runProblems(fixture.db, runId, 2).map((problem) => problem.id)).toEqual(flagged.slice(0, 2).map((op) => op.id));
  });

  it('detects a rename that landed before its done record was written (crash window)', async () => {
    const { fixture, config } = setUp(
      [
        { rel: 'mike/one.txt', content: Buffer.from('one') },
        { rel: 'mike/two.txt', content: Buffer.from('two') },
      ],
      [
        [{ op: 'move', from: 'mike/one.txt', to: 'archive/reconciliation/{run}/one.txt' }],
        [{ op: 'copy', from: 'mike/two.txt', to: 'mike/copy/two.txt' }],
      ],
    );
    const runId = queue(fixture, config);
    const [move, copy] = runOperations(fixture.db, runId);
    const run = getRun(fixture.db, runId)!;
    // Simulate the crash: intents journaled, effects on disk, no done records.
    const journal = Journal.open(run.journalPath);
    journal.append({ t: 'begin', run: runId, ops: 2, at: '', by: 'test' });
    for (const op of [move!, copy!]) {
      journal.append({ t: 'intent', id: op.id, seq: op.seq, op: op.op, to: { path: op.to.toString() }, mkdirs: [], dirMtimes: [], at: '' });
    }
    journal.close();
    fs.mkdirSync(path.dirname(move!.to.toString()), { recursive: true });
    fs.renameSync(move!.from!, move!.to);
    fs.mkdirSync(path.dirname(copy!.to.toString()), { recursive: true });
    fs.copyFileSync(copy!.from!, copy!.to);
    const summary = await executeRun(fixture.db, config, runId, { actor: 'test' });
    expect(summary).toMatchObject({ done: 2, skipped: 0, resumed: true });
    const done = readJournal(run.journalPath).records.filter((record) => record.t === 'done');
    expect(done.map((record) => record.t === 'done' && record.detected)).toEqual([true, true]);
  });

  it('rolls a run back to the pre-apply tree, byte for byte', async () => {
    const { files, decisions } = mixedWorkload(80, 7);
    const { fixture, config } = setUp(files, decisions);
    const before = snapshotTree(fixture.space);
    const runId = queue(fixture, config);
    await executeRun(fixture.db, config, runId, { actor: 'test' });
    expect(snapshotTree(fixture.space)).not.toEqual(before);
    const result = await rollbackRun(fixture.db, config, runId, { actor: 'test' });
    expect(result).toMatchObject({ status: 'rolled-back', restored: 80, refused: [] });
    expect(snapshotTree(fixture.space)).toEqual(before);
    // Restored files have a new ctime: verification reads them again and finds every content.
    expect(await verify(fixture.db, config)).toMatchObject({ outcome: 'complete', conservation: { lostCount: 0 } });
    expect(getRun(fixture.db, runId)!.status).toBe('rolled-back');
    const audit = fixture.db.prepare(`SELECT actor, action FROM AuditEvent WHERE targetId = ? ORDER BY id`).all(runId);
    expect(audit).toEqual([
      { actor: 'test', action: 'apply.queued' },
      { actor: 'test', action: 'apply.finished' },
      { actor: 'test', action: 'rollback.finished' },
    ]);
  });

  it('rolls back only what the run changed: a step that found its result in place is left as found', async () => {
    const { fixture, config } = setUp(
      [
        { rel: 'mike/a.txt', content: Buffer.from('alpha') },
        { rel: 'mike/copies/a.txt', content: Buffer.from('alpha') },
        { rel: 'mike/b.txt', content: Buffer.from('bravo') },
        { rel: 'mike/c.txt', content: Buffer.from('charlie') },
      ],
      [
        [{ op: 'copy', from: 'mike/a.txt', to: 'mike/copies/a.txt' }],
        [{ op: 'move', from: 'mike/b.txt', to: 'mike/moved/b.txt' }],
        [{ op: 'move', from: 'mike/c.txt', to: 'archive/reconciliation/{run}/mike/c.txt' }],
      ],
    );
    // Before the run, someone made the planned move of b.txt already (the copy of a.txt was there too).
    fs.mkdirSync(path.join(fixture.space, 'mike/moved'));
    fs.renameSync(path.join(fixture.space, 'mike/b.txt'), path.join(fixture.space, 'mike/moved/b.txt'));
    const before = snapshotTree(fixture.space);
    const runId = queue(fixture, config);
    expect(await executeRun(fixture.db, config, runId, { actor: 'test' })).toMatchObject({ done: 3, skipped: 0 });
    const result = await rollbackRun(fixture.db, config, runId, { actor: 'test' });
    expect(result).toMatchObject({ status: 'rolled-back', restored: 1, untouched: 2, refused: [] });
    expect(snapshotTree(fixture.space)).toEqual(before);
  });

  it('refuses to roll back an interrupted run until it has been resumed', async () => {
    const { fixture, config } = setUp([{ rel: 'mike/x.txt', content: Buffer.from('x') }], [[{ op: 'move', from: 'mike/x.txt', to: 'archive/reconciliation/{run}/x.txt' }]]);
    const runId = queue(fixture, config);
    await expect(rollbackRun(fixture.db, config, runId, { actor: 'test' })).rejects.toThrow(/was interrupted; finish it first/);
    await executeRun(fixture.db, config, runId, { actor: 'test' });
    await expect(rollbackRun(fixture.db, config, runId, { actor: 'test' })).resolves.toMatchObject({ status: 'rolled-back', restored: 1 });
  });

  it('refuses to roll back a file that changed since the run, and restores the rest', async () => {
    const { fixture, config } = setUp(
      [
        { rel: 'mike/keep.txt', content: Buffer.from('keep') },
        { rel: 'mike/edit.txt', content: Buffer.from('edit') },
      ],
      [
        [{ op: 'move', from: 'mike/keep.txt', to: 'archive/reconciliation/{run}/keep.txt' }],
        [{ op: 'move', from: 'mike/edit.txt', to: 'archive/reconciliation/{run}/edit.txt' }],
      ],
    );
    const runId = queue(fixture, config);
    await executeRun(fixture.db, config, runId, { actor: 'test' });
    fs.writeFileSync(path.join(fixture.space, 'archive/reconciliation', runId, 'edit.txt'), 'changed');
    const result = await rollbackRun(fixture.db, config, 'latest', { actor: 'test' });
    expect(result.status).toBe('partial');
    expect(result.refused).toHaveLength(1);
    expect(result.refused[0]!.reason).toMatch(/changed since the run/);
    expect(fs.readFileSync(path.join(fixture.space, 'mike/keep.txt'), 'utf8')).toBe('keep');
    expect(fs.existsSync(path.join(fixture.space, 'mike/edit.txt'))).toBe(false);
  });
});
