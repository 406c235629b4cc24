/**
 * Decisions from the web app, carried out by the engine's decide()/undoDecisions() with the
 * signed-in person recorded as the actor. Bulk decisions select their findings on the server with
 * the same filter the lists show, so the confirmed count is exactly what gets decided.
 */
import 'server-only';
import { z } from 'zod';
import { choiceOperations, decide, findingJoins, reviewChoiceSchema, undoDecisions, type ReviewChoice, type Verdict } from '../../engine/plan/index.ts';
import type { Actor } from '../auth/actor.ts';
import { ApiError } from '../api/respond.ts';
import { engineDb } from '../db.ts';
import { serverConfig } from '../config.ts';
import { engineFilter, type FindingFilter } from './finding-filter.ts';
import { filterSql } from './findings.ts';

export const verdictSchema = z.enum(['approved', 'rejected', 'deferred']);

/** What a reviewer may choose beyond the verdict: keep/archive toggles, or a conflict's resolution. */
export const choiceSchema = reviewChoiceSchema;
export type Choice = ReviewChoice;

export function decideOne(actor: Actor, input: { findingId: string; verdict: Verdict; choice?: Choice }): { decided: number } {
  const { choice } = input;
  const approvedChoice = input.verdict === 'approved' ? choice : undefined;
  const result = decide(engineDb(), {
    verdict: input.verdict,
    actor: actor.email,
    findingIds: [input.findingId],
    choice: approvedChoice,
    // A choice that departs from the proposal becomes the operations apply carries out.
    operations: approvedChoice ? choiceOperations(engineDb(), serverConfig(), input.findingId, approvedChoice) : undefined,
  });
  return { decided: result.decided };
}

/** How many findings a bulk decision with this filter would decide (shown before confirming). */
export function bulkCount(filter: FindingFilter): number {
  const { where, params } = filterSql(filter);
  return engineDb().prepare(`SELECT count(*) FROM ${findingJoins} WHERE ${where} AND p.id IS NOT NULL AND d.appliedRunId IS NULL`).pluck().get(...params) as number;
}

/**
 * Decides every matching finding not yet applied, in one statement and one transaction (audited
 * in parts of 1,000 ids by the engine): the count confirmed is the count decided.
 */
export function decideBulk(actor: Actor, input: { filter: FindingFilter; verdict: Verdict }): { decided: number } {
  const result = decide(engineDb(), { verdict: input.verdict, actor: actor.email, filter: engineFilter(serverConfig().space, input.filter), redecide: true });
  return { decided: result.decided };
}

export function undoOne(actor: Actor, findingId: string): { undone: number } {
  const result = undoDecisions(engineDb(), { findingIds: [findingId], actor: actor.email });
  if (result.undone === 0) throw new ApiError('not_found', 'no decision to undo');
  return { undone: result.undone };
}
