/**
 * The worker loop: lease a job, run its handler with a heartbeat that doubles as the progress
 * channel, record the outcome, repeat. Handlers are plain async functions keyed by job kind.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/index.ts';
import { defaultLeaseMs, finishJob, handLeaseBack, heartbeat, leaseHeld, leaseJob, workerIdentity, type JobProgress, type JobRow } from './queue.ts';

export interface JobControl {
  job: JobRow;
  owner: string;
  /** Records progress for the UI and renews the lease (throttled); throws JobLostError when taken over. */
  progress(progress: JobProgress, force?: boolean): void;
  /**
   * Throws JobLostError unless this worker still holds an unexpired lease: called right before
   * each irreversible step. A lease that lapsed before it was renewed stops the job even if no one
   * took it yet (another worker may be about to), as restic stops when its lock went stale.
   */
  assertLease(): void;
}

export type JobHandler = (control: JobControl) => Promise<unknown>;

/**
 * Another worker took the job over (our lease lapsed), or holds the work it stands for: stop
 * without touching anything more. `leaseHolder` names the lease owner the job belongs to when
 * this worker took the lease from a holder that is still at work (the lease goes back to it).
 */
export class JobLostError extends Error {
  override readonly name: string = 'JobLostError';
  leaseHolder?: string;
}

const heartbeatEveryMs = 1000;

export function jobControl(db: Db, job: JobRow, owner: string, options: { leaseMs?: number; onProgress?: (p: JobProgress) => void } = {}): JobControl {
  let last = 0;
  return {
    job,
    owner,
    progress(progress, force = false) {
      options.onProgress?.(progress);
      const at = Date.now();
      if (!force && at - last < heartbeatEveryMs) return;
      last = at;
      if (!heartbeat(db, job.id, owner, progress, options.leaseMs ?? defaultLeaseMs)) {
        throw new JobLostError(`job ${job.id} was taken over by another worker`);
      }
    },
    assertLease() {
      const held = leaseHeld(db, job.id, owner);
      if (held !== 'held') throw new JobLostError(held === 'lapsed' ? `the lease on job ${job.id} lapsed before it was renewed; stopping` : `job ${job.id} was taken over by another worker`);
    },
  };
}

/** Runs one leased job to its end; the handler's result or error message lands on the Job row. */
export async function runLeasedJob(
  db: Db,
  job: JobRow,
  owner: string,
  handler: JobHandler,
  options: { leaseMs?: number; onProgress?: (p: JobProgress) => void } = {},
): Promise<{ status: 'succeeded' | 'failed' | 'lost'; result?: unknown; error?: string }> {
  const control = jobControl(db, job, owner, options);
  // A timer keeps the lease alive while the handler waits on I/O between progress calls.
  const keepAlive = setInterval(() => heartbeat(db, job.id, owner, undefined, options.leaseMs ?? defaultLeaseMs), heartbeatEveryMs * 5);
  try {
    const result = await handler(control);
    finishJob(db, job.id, owner, { status: 'succeeded', result });
    return { status: 'succeeded', result };
  } catch (error) {
    if (error instanceof JobLostError) {
      if (error.leaseHolder) handLeaseBack(db, job.id, owner, error.leaseHolder);
      return { status: 'lost', error: error.message };
    }
    const message = error instanceof Error ? error.message : String(error);
    finishJob(db, job.id, owner, { status: 'failed', error: message });
    return { status: 'failed', error: message };
  } finally {
    clearInterval(keepAlive);
  }
}

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  owner?: string;
  leaseMs?: number;
  pollMs?: number;
  /** Stop once the queue is empty instead of polling forever. */
  untilIdle?: boolean;
  signal?: AbortSignal;
  onJob?: (job: JobRow, outcome: Awaited<ReturnType<typeof runLeasedJob>>) => void;
  onProgress?: (job: JobRow, progress: JobProgress) => void;
}

/** Works the queue until aborted (or idle, with untilIdle). Returns how many jobs it ran. */
export async function runWorker(db: Db, options: WorkerOptions): Promise<number> {
  const owner = options.owner ?? workerIdentity();
  const kinds = Object.keys(options.handlers);
  let ran = 0;
  while (!options.signal?.aborted) {
    const job = leaseJob(db, owner, { kinds, leaseMs: options.leaseMs });
    if (!job) {
      if (options.untilIdle) break;
      await sleep(options.pollMs ?? 1000, undefined, { signal: options.signal }).catch(() => undefined);
      continue;
    }
    const outcome = await runLeasedJob(db, job, owner, options.handlers[job.kind]!, {
      leaseMs: options.leaseMs,
      onProgress: options.onProgress ? (progress) => options.onProgress!(job, progress) : undefined,
    });
    ran += 1;
    options.onJob?.(job, outcome);
  }
  return ran;
}
