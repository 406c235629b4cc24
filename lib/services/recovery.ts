/**
 * The recovery loop for the web app: per source what is still to fetch from its origin, what was
 * fetched and waits for its placement, what was placed, and the list and script files to download
 * (the same bytes `reconcile recover` writes).
 */
import 'server-only';
import { enqueueFetch, recoveryFiles, recoveryPlan, type RecoveryPlan, type SourceRecovery } from '../../engine/recover/index.ts';
import { serverConfig } from '../config.ts';
import { engineDb } from '../db.ts';
import { ApiError } from '../api/respond.ts';

export type { RecoveryPlan, SourceRecovery };

/** Every configured source's recovery, from the latest plan (nothing is written). */
export function recoverySources(): RecoveryPlan {
  return recoveryPlan(engineDb(), serverConfig());
}

/** A source's list (`file=list`) or origin-host script (`file=script`) as a download. */
export function recoveryDownload(source: string, file: 'list' | 'script'): Response {
  const plan = recoverySources();
  const recovery = plan.sources.find((candidate) => candidate.source === source);
  if (!recovery) throw new ApiError('not_found', `no source ${source}`);
  const wanted = file === 'list' ? recovery.list : recovery.script;
  const found = wanted ? recoveryFiles(serverConfig(), recovery, plan.dir).find((candidate) => candidate.path === wanted) : undefined;
  if (!found) throw new ApiError('not_found', file === 'list' ? 'nothing to fetch from this source' : 'this source has no script to run on its origin host');
  return new Response(new Uint8Array(found.contents), {
    headers: {
      'content-type': found.mediaType,
      'content-disposition': `attachment; filename="${found.name}"`,
      'cache-control': 'no-store',
    },
  });
}

/** Queues a fetch of these sources (all this server can fetch, by default) for the worker; its progress is the job's. */
export function startFetch(actor: string, sources: readonly string[] = []): { jobId: number } {
  return { jobId: enqueueFetch(engineDb(), serverConfig(), { sources, actor }).id };
}
