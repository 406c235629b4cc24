// The durable queue on a real database: idempotent enqueue, leases, heartbeats and takeover.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { enqueueJob, getJob, heartbeat, leaseJob, requeueJob, runLeasedJob, runWorker } from '../../engine/jobs/index.ts';
import { tempDatabase } from '../helpers.ts';

describe('job queue', () => {
  it('queues the same work once', () => {
    const { db } = tempDatabase();
    const first = enqueueJob(db, { kind: 'apply', idempotencyKey: 'apply:x', payload: { a: 1 }, createdBy: 'test' });
    const second = enqueueJob(db, { kind: 'apply', idempotencyKey: 'apply:x', payload: { a: 2 }, createdBy: 'test' });
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, job: { id: first.job.id, payloadJson: '{"a":1}' } });
  });

  it('lets one worker hold a lease until it expires, then another takes over', async () => {
    const { db } = tempDatabase();
    const { job } = enqueueJob(db, { kind: 'apply', idempotencyKey: 'k', payload: {}, createdBy: 'test' });
    const alive = `${os.hostname()}:${process.pid}:a`;
    expect(leaseJob(db, alive, { leaseMs: 150 })).toMatchObject({ id: job.id, status: 'running', attempts: 1 });
    expect(leaseJob(db, 'other-host:1:b', { leaseMs: 150 })).toBeUndefined();
    expect(heartbeat(db, job.id, alive, { phase: 'apply', done: 1, total: 2 }, 150)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(leaseJob(db, 'other-host:1:b', { leaseMs: 10_000 })).toMatchObject({ leaseOwner: 'other-host:1:b', attempts: 2 });
    // The first worker learns it lost the job at its next heartbeat.
    expect(heartbeat(db, job.id, alive)).toBe(false);
    expect(JSON.parse(getJob(db, job.id)!.progressJson!)).toEqual({ phase: 'apply', done: 1, total: 2 });
  });

  it('takes a job over at once when the process holding it on this host is gone', () => {
    const { db } = tempDatabase();
    enqueueJob(db, { kind: 'apply', idempotencyKey: 'k', payload: {}, createdBy: 'test' });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const host = os.hostname();
    expect(leaseJob(db, `${host}:${dead}:x`, { leaseMs: 60_000 })).toBeDefined();
    expect(leaseJob(db, `${host}:${process.pid}:y`, { leaseMs: 60_000 })).toMatchObject({ leaseOwner: `${host}:${process.pid}:y` });
  });

  it('records failures and can queue a failed job again', async () => {
    const { db } = tempDatabase();
    const { job } = enqueueJob(db, { kind: 'apply', idempotencyKey: 'k', payload: {}, createdBy: 'test' });
    const ran = await runWorker(db, {
      untilIdle: true,
      handlers: {
        apply: async (control) => {
          control.progress({ phase: 'apply', done: 0, total: 1 }, true);
          throw new Error('disk full');
        },
      },
    });
    expect(ran).toBe(1);
    expect(getJob(db, job.id)).toMatchObject({ status: 'failed', error: 'disk full', leaseOwner: null });
    requeueJob(db, job.id);
    expect(getJob(db, job.id)).toMatchObject({ status: 'queued', error: null });
  });

  it('stops a handler whose job was taken over, without recording an outcome', async () => {
    const { db } = tempDatabase();
    enqueueJob(db, { kind: 'apply', idempotencyKey: 'k', payload: {}, createdBy: 'test' });
    const leased = leaseJob(db, 'h:1:a')!;
    db.prepare(`UPDATE Job SET leaseOwner = 'h:2:b' WHERE id = ?`).run(leased.id);
    const outcome = await runLeasedJob(db, leased, 'h:1:a', async (control) => {
      control.progress({ phase: 'apply', done: 0, total: 1 }, true);
      return 'unreachable';
    });
    expect(outcome.status).toBe('lost');
    expect(getJob(db, leased.id)).toMatchObject({ status: 'running', leaseOwner: 'h:2:b' });
  });
});
