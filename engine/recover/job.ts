/**
 * A fetch as a durable job, for the web app and the worker: the same fetches `recover --fetch`
 * runs, with progress in Job.progressJson and the outcome in the audit trail. A job taken over after
 * a crash simply fetches again (the tools skip what arrived whole).
 */
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { z } from 'zod';
import { defineJob, getJob, requeueJob, type JobProgress, type JobRow } from '../jobs/index.ts';
import { fetchSource, type FetchResult } from './fetch.ts';
import { writeRecovery } from './files.ts';
import { recoveryPlan } from './plan.ts';

/** Version 1: the source ids to fetch (none: every source this server can fetch). */
export const recoverFetchJob = defineJob('recover-fetch', 1, z.object({ sources: z.array(z.string().min(1)) }));

/** Queues a fetch of these sources (every one this server can fetch, by default); asking again fetches again. */
export function enqueueFetch(db: Db, config: Config, input: { sources?: readonly string[]; actor: string }): JobRow {
  const sources = [...(input.sources ?? [])].sort();
  // Validates the source ids now, not when the worker picks the job up.
  const plan = recoveryPlan(db, config, { sources });
  const { job, created } = recoverFetchJob.enqueue(db, {
    idempotencyKey: `${recoverFetchJob.kind}:${plan.planRunId ?? 0}:${sources.join(',') || '*'}`,
    payload: { sources },
    createdBy: input.actor,
  });
  if (!created && ['failed', 'cancelled', 'succeeded'].includes(job.status)) requeueJob(db, job.id);
  return getJob(db, job.id)!;
}

/** What the worker runs for a fetch job: the lists written afresh, each reachable source fetched in turn. */
export async function runFetchJob(
  db: Db,
  config: Config,
  input: { sources: readonly string[]; actor: string; progress: (progress: JobProgress, force?: boolean) => void },
): Promise<FetchResult[]> {
  const plan = recoveryPlan(db, config, { sources: input.sources });
  const results: FetchResult[] = [];
  for (const recovery of plan.sources.filter((each) => each.files.length > 0)) {
    writeRecovery(config, recovery, plan.dir);
    const result = await fetchSource(db, config, recovery, {
      dir: plan.dir,
      quiet: true,
      onProgress: ({ source, done, total, bytes }) => input.progress({ phase: source, done, total, bytesDone: bytes, message: `${done} of ${total} files from ${source}` }),
    });
    results.push(result);
    // Where each source ended, whatever the throttled updates last said.
    input.progress({ phase: recovery.source, done: result.arrived, total: result.files, message: result.message }, true);
    db.prepare('INSERT INTO AuditEvent (at, actor, action, targetType, targetId, detailsJson) VALUES (?, ?, ?, ?, ?, ?)').run(
      new Date().toISOString(),
      input.actor,
      'recovery.fetched',
      'source',
      recovery.source,
      JSON.stringify({ status: result.status, files: result.files, arrived: result.arrived, log: result.log, message: result.message }),
    );
  }
  return results;
}
