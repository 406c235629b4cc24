// Job payloads have a schema and a version: checked when queued and when claimed, so a payload of
// a version this release does not run fails its job with that said, and nothing runs on a guess.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob, enqueueJob, getJob, leaseJob, runLeasedJob } from '../../engine/jobs/index.ts';
import { tempDatabase } from '../helpers.ts';

const exampleJob = defineJob('example', 2, z.object({ runId: z.string().min(1) }));

describe('job definitions', () => {
  it('stamp the version on the payload they queue, and refuse a payload their schema refuses', () => {
    const { db } = tempDatabase();
    const { job } = exampleJob.enqueue(db, { idempotencyKey: 'example:r1', payload: { runId: 'r1' }, createdBy: 'test' });
    expect(JSON.parse(job.payloadJson)).toEqual({ version: 2, runId: 'r1' });
    expect(() => exampleJob.enqueue(db, { idempotencyKey: 'example:r2', payload: { runId: '' }, createdBy: 'test' })).toThrow();
    expect(getJob(db, job.id + 1)).toBeUndefined();
  });

  it('run the handler with the checked payload', async () => {
    const { db } = tempDatabase();
    exampleJob.enqueue(db, { idempotencyKey: 'example:r1', payload: { runId: 'r1' }, createdBy: 'test' });
    const leased = leaseJob(db, 'worker:1:a')!;
    const seen: string[] = [];
    const outcome = await runLeasedJob(db, leased, 'worker:1:a', exampleJob.handler(async (_control, { runId }) => seen.push(runId)));
    expect(outcome.status).toBe('succeeded');
    expect(seen).toEqual(['r1']);
  });

  it('fail a claimed job whose payload version this release does not run, naming job and version', async () => {
    const { db } = tempDatabase();
    const { job } = enqueueJob(db, { kind: 'example', idempotencyKey: 'example:v3', payload: { version: 3, runId: 'r1' }, createdBy: 'test' });
    let ran = false;
    const outcome = await runLeasedJob(db, leaseJob(db, 'worker:1:a')!, 'worker:1:a', exampleJob.handler(async () => (ran = true)));
    expect(ran).toBe(false);
    expect(outcome).toMatchObject({ status: 'failed', error: `job ${job.id} (example): payload version 3 is not one this release runs (version 2); queue it again` });
    expect(getJob(db, job.id)).toMatchObject({ status: 'failed', error: outcome.error });
  });

  it('fail a claimed job whose payload does not fit, and read a payload without a version as version 1', async () => {
    const { db } = tempDatabase();
    const firstRelease = defineJob('old', 1, z.object({ runId: z.string().min(1) }));
    enqueueJob(db, { kind: 'old', idempotencyKey: 'old:r1', payload: { runId: 'r1' }, createdBy: 'test' });
    expect(firstRelease.payloadOf(getJob(db, 1)!)).toEqual({ runId: 'r1' });
    const { job } = enqueueJob(db, { kind: 'old', idempotencyKey: 'old:none', payload: { version: 1 }, createdBy: 'test' });
    expect(() => firstRelease.payloadOf(job)).toThrow(`job ${job.id} (old): payload does not fit version 1`);
  });
});
