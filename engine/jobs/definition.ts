/**
 * A job kind as a definition: its name, the payload version this release writes, and the
 * payload's zod schema. Payloads are checked when queued and again when a worker claims the job,
 * so a job queued by another release (a payload version this one does not know) fails with a
 * clear error instead of running on a guess. The stage that owns a kind defines it; the queue
 * knows none of them.
 */
import { z } from 'zod';
import type { Db } from '../db/index.ts';
import { enqueueJob, type JobRow } from './queue.ts';
import type { JobControl, JobHandler } from './worker.ts';

export interface JobDefinition<Payload> {
  kind: string;
  version: number;
  /** Queues the job (once per idempotency key) with the payload checked and its version stamped. */
  enqueue(db: Db, job: { idempotencyKey: string; payload: Payload; createdBy: string }): { job: JobRow; created: boolean };
  /** The claimed job's payload, checked; throws naming the job when its version or shape is unknown. */
  payloadOf(job: JobRow): Payload;
  /** A worker handler that runs `run` with the checked payload. */
  handler(run: (control: JobControl, payload: Payload) => Promise<unknown>): JobHandler;
}

const storedPayload = z.record(z.string(), z.unknown());

export function defineJob<Schema extends z.ZodObject>(kind: string, version: number, schema: Schema): JobDefinition<z.infer<Schema>> {
  const payloadOf = (job: JobRow): z.infer<Schema> => {
    const stored = storedPayload.safeParse(JSON.parse(job.payloadJson));
    // Payloads queued before they carried a version are version 1.
    const { version: storedVersion = 1, ...payload } = stored.success ? stored.data : {};
    if (storedVersion !== version) {
      throw new Error(`job ${job.id} (${kind}): payload version ${String(storedVersion)} is not one this release runs (version ${version}); queue it again`);
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new Error(`job ${job.id} (${kind}): payload does not fit version ${version}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  };
  return {
    kind,
    version,
    enqueue: (db, job) => enqueueJob(db, { ...job, kind, payload: { version, ...schema.parse(job.payload) } }),
    payloadOf,
    handler: (run) => (control) => run(control, payloadOf(control.job)),
  };
}
