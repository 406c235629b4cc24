/**
 * Decisions from the web app, carried out by the engine's decide()/undoDecisions() with the
 * signed-in person recorded as the actor. Bulk decisions select their findings on the server with
 * the same filter the lists show, so the confirmed count is exactly what gets decided.
 */
import 'server-only';
import { z } from 'zod';
import { decide, undoDecisions, type Verdict } from '../../engine/plan/index.ts';
import type { Actor } from '../auth/actor.ts';
import { ApiError } from '../api/respond.ts';
import { engineCall } from './engine-call.ts';
import { engineDb } from '../db.ts';
import { serverConfig } from '../config.ts';
import { filterSql, findingJoins, type FindingFilter } from './finding-filter.ts';

export const verdictSchema = z.enum(['approved', 'rejected', 'deferred']);

/** What a reviewer may choose beyond the verdict: keep/archive toggles, or a conflict's resolution. */
export const choiceSchema = z.union([
  z.strictObject({ keep: z.array(z.string().max(8192)).min(1).max(10_000), archive: z.array(z.string().max(8192)).max(10_000) }),
  z.strictObject({ resolution: z.literal('winner'), winner: z.string().min(1).max(8192) }),
  z.strictObject({ resolution: z.literal('keep-both') }),
]);
export type Choice = z.infer<typeof choiceSchema>;

/** Findings decided per engine call: keeps each statement's id list small. */
const batchSize = 500;

/**
 * Apply carries out the proposal's operations. A choice that departs from the proposal (another
 * keeper, another winner) would be recorded but not done, so it is refused with the reason.
 */
function checkChoice(findingId: string, choice: Choice): void {
  const row = engineDb()
    .prepare('SELECT f.pathsJson, p.keeperPath, p.action FROM Finding f JOIN Proposal p ON p.findingId = f.id WHERE f.id = ?')
    .get(findingId) as { pathsJson: string; keeperPath: string | null; action: string } | undefined;
  if (!row) throw new ApiError('not_found', 'no open finding with a proposal');
  const paths = JSON.parse(row.pathsJson) as string[];
  const unknown = 'keep' in choice ? [...choice.keep, ...choice.archive].filter((item) => !paths.includes(item)) : [];
  if (unknown.length > 0) throw new ApiError('bad_request', 'the choice names paths that are not in this finding');
  const departs =
    ('keep' in choice && (choice.keep.length !== 1 || choice.keep[0] !== row.keeperPath)) ||
    ('resolution' in choice && choice.resolution === 'winner' && choice.winner !== row.keeperPath) ||
    ('resolution' in choice && choice.resolution === 'keep-both' && row.action !== 'route-to-conflicts');
  if (departs) {
    throw new ApiError(
      'conflict',
      'apply carries out the proposal as planned; keeping other copies than the proposed keeper is not supported yet — reject the proposal or defer it instead',
    );
  }
}

export function decideOne(actor: Actor, input: { findingId: string; verdict: Verdict; choice?: Choice }): { decided: number } {
  if (input.verdict === 'approved' && input.choice) checkChoice(input.findingId, input.choice);
  const result = engineCall(() =>
    decide(engineDb(), {
      verdict: input.verdict,
      actor: actor.email,
      findingIds: [input.findingId],
      choice: input.verdict === 'approved' ? input.choice : undefined,
    }),
  );
  return { decided: result.decided };
}

/** Ids of the open, not yet applied findings with a proposal that match the filter. */
function matchingIds(filter: FindingFilter): string[] {
  const { where, params } = filterSql(serverConfig().space, filter);
  return engineDb()
    .prepare(`SELECT f.id FROM ${findingJoins} WHERE ${where} AND p.id IS NOT NULL AND d.appliedRunId IS NULL ORDER BY f.id`)
    .pluck()
    .all(...params) as string[];
}

/** How many findings a bulk decision with this filter would decide (shown before confirming). */
export function bulkCount(filter: FindingFilter): number {
  return matchingIds(filter).length;
}

/** Decides every matching finding in one transaction (audited per batch by the engine). */
export function decideBulk(actor: Actor, input: { filter: FindingFilter; verdict: Verdict }): { decided: number } {
  const db = engineDb();
  return engineCall(() =>
    db.transaction(() => {
      const ids = matchingIds(input.filter);
      let decided = 0;
      for (let start = 0; start < ids.length; start += batchSize) {
        decided += decide(db, { verdict: input.verdict, actor: actor.email, findingIds: ids.slice(start, start + batchSize) }).decided;
      }
      return { decided };
    })(),
  );
}

export function undoOne(actor: Actor, findingId: string): { undone: number } {
  const result = engineCall(() => undoDecisions(engineDb(), { findingIds: [findingId], actor: actor.email }));
  if (result.undone === 0) throw new ApiError('not_found', 'no decision to undo');
  return { undone: result.undone };
}
