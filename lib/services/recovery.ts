/**
 * The recovery loop for the web app: per source what is still to fetch from its origin, what was
 * fetched and waits for its placement, what was placed, and the list and script files to download
 * (the same bytes `reconcile recover` writes); fetches queued for the worker, and the waivers of
 * entries the owner decides not to recover.
 */
import 'server-only';
import {
  enqueueFetch,
  listWaivers,
  recoveryFiles,
  recoveryPlan,
  revokeWaivers,
  waive,
  type RecoveryPlan,
  type SourceRecovery,
  type WaiveResult,
  type Waiver,
} from '../../engine/recover/index.ts';
import type { Actor } from '../auth/actor.ts';
import { serverConfig } from '../config.ts';
import { engineDb } from '../db.ts';
import { ApiError } from '../api/respond.ts';

export type { RecoveryPlan, SourceRecovery, WaiveResult, Waiver };

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
export function startFetch(actor: Actor, sources: readonly string[] = []): { jobId: number } {
  return { jobId: enqueueFetch(engineDb(), serverConfig(), { sources, actor: actor.email }).id };
}

/** Waives origin entries of one source with a reason; the deciding person is the signed-in actor (audited by the engine). */
export function waiveEntries(actor: Actor, input: { source: string; paths: readonly string[]; reason: string }): WaiveResult {
  return waive(engineDb(), serverConfig(), { ...input, actor: actor.email });
}

/** Revokes active waivers: those entries are outstanding again (audited by the engine). */
export function revokeEntryWaivers(actor: Actor, input: { source: string; paths: readonly string[] }): { revoked: Waiver[] } {
  return { revoked: revokeWaivers(engineDb(), serverConfig(), { ...input, actor: actor.email }) };
}

/** The waivers in force (or also the revoked ones), per source and path. */
export function waivers(options: { source?: string; includeRevoked?: boolean } = {}): { waivers: Waiver[] } {
  return { waivers: listWaivers(engineDb(), options) };
}
