// One process per run: a second process never works on a run a live process holds (even once
// the database lease lapsed), a run stops at its next rename once its lease is lost, and the
// hashing that precedes a move runs on the hash workers, so the lease keeps being renewed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { enqueueApply, executeRun, getRun, runOperations } from '../../engine/apply/index.ts';
import { loadConfig, loadEnv } from '../../engine/config/index.ts';
import { getJob, jobControl, leaseJob, runLeasedJob } from '../../engine/jobs/index.ts';
import { readJournal } from '../../engine/journal/index.ts';
import { runCli } from '../helpers.ts';
import { archivedDuplicateMoves, type Fixture } from './fixture.ts';
import { namingCalls, runInjected, straceUnavailable } from './syscalls.ts';

const unavailable = straceUnavailable();
const moves = (count: number) => archivedDuplicateMoves('reconcile-lock-', count);

function queue(fixture: Fixture): { runId: string; jobId: number } {
  const result = runCli(['--config', fixture.configFile, '--json', 'apply', '--queue'], { dataDir: fixture.dataDir });
  expect(result.status, result.stderr).toBe(0);
  const { run, jobId } = JSON.parse(result.stdout) as { run: { id: string }; jobId: number };
  return { runId: run.id, jobId };
}

describe('one process per run', () => {
  it('refuses a second process while the first still works, even once the database lease lapsed', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const fixture = moves(3);
    const { runId, jobId } = queue(fixture);
    // The first process sits at its first move (a slow disk, a stalled heartbeat) ...
    const first = runInjected(['--config', fixture.configFile, '--json', 'apply'], {
      dataDir: fixture.dataDir,
      calls: namingCalls,
      onPath: path.join(fixture.space, 'mike/file-0.txt'),
      action: { delayMs: 4000 },
    });
    await first.heldInNamingCall();
    const owner = getJob(fixture.db, jobId)!.leaseOwner;
    // ... long enough for its lease to lapse, so a second process may take the job.
    fixture.db.prepare(`UPDATE Job SET leaseExpiresAt = '2000-01-01T00:00:00.000Z' WHERE id = ?`).run(jobId);
    const second = runCli(['--config', fixture.configFile, '--json', 'apply'], { dataDir: fixture.dataDir });
    expect(second.status).toBe(1);
    expect(JSON.parse(second.stdout).error).toMatch(/being worked on by process \d+ on /);
    // It touched nothing: no resume in the journal, and the lease went back to the first.
    expect(readJournal(getRun(fixture.db, runId)!.journalPath).records.filter((record) => record.t === 'resume')).toEqual([]);
    expect(getJob(fixture.db, jobId)!.leaseOwner).toBe(owner);

    const { code } = await first.exited;
    expect(code, first.stderr()).toBe(0);
    expect(JSON.parse(first.stdout())).toMatchObject({ summary: { done: 3, skipped: 0, failed: 0 }, verification: { outcome: 'complete' } });
    expect(fs.existsSync(path.join(path.dirname(getRun(fixture.db, runId)!.journalPath), 'lock'))).toBe(false);
  });

  it('stops at the next rename once the lease was lost, touching nothing more', async () => {
    const fixture = moves(5);
    const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' }) });
    const queued = enqueueApply(fixture.db, config, 'test');
    if (queued.state === 'nothing') throw new Error('nothing queued');
    const owner = `${'test-host'}:${process.pid}:a`;
    const job = leaseJob(fixture.db, owner, { jobId: queued.job.id })!;
    const control = jobControl(fixture.db, job, owner);
    const outcome = await runLeasedJob(fixture.db, job, owner, () =>
      executeRun(fixture.db, config, queued.run.id, {
        actor: 'test',
        lease: control,
        // Another worker takes the job over while the third step is about to act.
        progress: (progress) => {
          if (progress.done === 2) fixture.db.prepare(`UPDATE Job SET leaseOwner = 'other-host:1:b' WHERE id = ?`).run(job.id);
        },
      }),
    );
    expect(outcome).toMatchObject({ status: 'lost', error: expect.stringMatching(/taken over/) });
    const operations = runOperations(fixture.db, queued.run.id);
    // The five moves form one batch: all five intents were journaled before the first acted, and
    // the first two got their new names; their old names are dropped by whoever owns the run now.
    expect(operations.map((op) => op.status)).toEqual(['started', 'started', 'started', 'started', 'started']);
    for (const op of operations.slice(0, 2)) expect([fs.existsSync(op.from!), fs.existsSync(op.to)]).toEqual([true, true]);
    for (const op of operations.slice(2)) expect([fs.existsSync(op.from!), fs.existsSync(op.to)]).toEqual([true, false]);
    expect(readJournal(queued.run.journalPath).records.some((record) => record.t === 'end')).toBe(false);
  });

  it('keeps renewing the lease while a file is hashed before its move (hashing is off the main thread)', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const fixture = moves(1);
    const { jobId } = queue(fixture);
    // The read of the source is held for 14 s, as a multi-gigabyte hash would take.
    const applying = runInjected(['--config', fixture.configFile, '--json', 'apply'], {
      dataDir: fixture.dataDir,
      calls: ['open', 'openat'],
      onPath: path.join(fixture.space, 'mike/file-0.txt'),
      action: { delayMs: 14_000 },
    });
    await applying.heldInOpen();
    const before = getJob(fixture.db, jobId)!.heartbeatAt;
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect(getJob(fixture.db, jobId)!.heartbeatAt).not.toBe(before);
    const { code } = await applying.exited;
    expect(code, applying.stderr()).toBe(0);
    expect(JSON.parse(applying.stdout())).toMatchObject({ summary: { done: 1 } });
  }, 60_000);
});
