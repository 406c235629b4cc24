/**
 * A reviewer may depart from the proposal: keep other copies of a duplicate, pick the other
 * conflict version as the winner, or keep both versions. The choice becomes concrete operations
 * with the plan's own builders and the finding's files as classified, so apply re-checks exactly
 * the same preconditions as for a proposal. Nothing is deleted either way:
 * - duplicates: the copies not kept move to the archive;
 * - conflict, winner: the other versions move to the archive;
 * - conflict, keep both: the other versions move to the conflicts folder for a later look.
 */
import { z } from 'zod';
import { UserError, type Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { parseStoredEvidence, type FileRef } from '../classify/index.ts';
import { displacedPrefix, moveOperation, withAppleDoubles, type Destination, type Operation } from './operations.ts';

const choicePath = z.string().min(1).max(8192);

export const reviewChoiceSchema = z.union([
  z.strictObject({ keep: z.array(choicePath).min(1).max(10_000), archive: z.array(choicePath).max(10_000) }),
  z.strictObject({ resolution: z.literal('winner'), winner: choicePath }),
  z.strictObject({ resolution: z.literal('keep-both'), winner: choicePath.optional() }),
]);
export type ReviewChoice = z.infer<typeof reviewChoiceSchema>;

/** A decision's choiceJson: the reviewer's choice, or `{}` when they took the proposal as it is. */
export const storedChoiceSchema = z.union([reviewChoiceSchema, z.strictObject({})]);
export type StoredChoice = z.infer<typeof storedChoiceSchema>;

/** Parses a decision's stored choice; an error names the finding when the row holds no choice this release knows. */
export function parseStoredChoice(findingId: string, choiceJson: string | null): StoredChoice {
  if (choiceJson === null) return {};
  const parsed = storedChoiceSchema.safeParse(JSON.parse(choiceJson));
  if (!parsed.success) throw new Error(`finding ${findingId}: its decision's choice is not one this release knows: ${choiceJson.slice(0, 200)}`);
  return parsed.data;
}

/** Proposals a choice may replace: the ones that pick a keeper among files in the space. */
const choosableActions = new Set(['keep', 'archive-duplicate', 'move-to-canonical', 'route-to-conflicts']);

interface FindingRow {
  kind: string;
  evidenceJson: string;
  action: string;
  operationsJson: string;
}

/**
 * The operations a choice calls for, or null when it is what the plan proposed already.
 * Throws a UserError (with the reason) for a choice that does not fit the finding.
 */
export function choiceOperations(db: Db, config: Config, findingId: string, choice: ReviewChoice): Operation[] | null {
  const row = db
    .prepare(
      `SELECT f.kind, f.evidenceJson, p.action, p.operationsJson
       FROM Finding f JOIN Proposal p ON p.findingId = f.id WHERE f.id = ? AND f.status = 'open'`,
    )
    .get(findingId) as FindingRow | undefined;
  if (!row) throw new UserError(`no open finding ${findingId}`);
  if (!choosableActions.has(row.action)) {
    throw new UserError(`the proposal for ${findingId} is ${row.action}; there is no keeper to choose`);
  }
  const files = parseStoredEvidence(findingId, row.kind, row.evidenceJson).evidence.files.filter((file) => file.type === 'file');
  const byPath = new Map(files.map((file) => [file.path, file]));
  const named = 'keep' in choice ? [...choice.keep, ...choice.archive] : choice.winner ? [choice.winner] : [];
  const unknown = named.filter((path) => !byPath.has(path));
  if (unknown.length > 0) throw new UserError(`the choice names paths that are not in finding ${findingId}: ${unknown.slice(0, 3).join(', ')}`);

  const { displaced, destination, keeper } = 'keep' in choice ? keepChoice(row, files, choice) : conflictChoice(row, files, choice, byPath);
  const prefix = displacedPrefix(config.space, config.layout, destination);
  const moves = displaced.map((file) => {
    if (file.spacePath === null) throw new UserError(`${file.path} is outside the space; nothing is moved there`);
    return moveOperation(findingId, file, config.space, prefix, { keeper });
  });
  const operations = withAppleDoubles(findingId, { files }, moves);
  const proposed = (JSON.parse(row.operationsJson) as Operation[]).map((operation) => operation.id).sort();
  const chosen = operations.map((operation) => operation.id).sort();
  return JSON.stringify(proposed) === JSON.stringify(chosen) ? null : operations;
}

function keepChoice(row: FindingRow, files: FileRef[], choice: { keep: string[]; archive: string[] }) {
  if (row.kind !== 'duplicate') throw new UserError(`keep/archive choices are for duplicates, not ${row.kind}`);
  const keep = new Set(choice.keep);
  const archive = new Set(choice.archive);
  const both = choice.keep.filter((path) => archive.has(path));
  if (both.length > 0) throw new UserError(`a copy cannot be both kept and archived: ${both[0]}`);
  if (files.some((file) => file.intended && archive.has(file.path))) {
    throw new UserError('copies in archive sets stay where they are');
  }
  const undecided = files.filter((file) => !file.intended && !keep.has(file.path) && !archive.has(file.path));
  if (undecided.length > 0) throw new UserError(`say whether to keep or archive ${undecided[0]!.path}`);
  // The archived copies rely on a kept one: a working copy where there is one.
  const kept = files.filter((file) => keep.has(file.path));
  const keeper = kept.find((file) => !file.intended) ?? kept[0];
  return { displaced: files.filter((file) => archive.has(file.path)), destination: 'archive' as Destination, keeper };
}

function conflictChoice(
  row: FindingRow,
  files: FileRef[],
  choice: { resolution: 'winner' | 'keep-both'; winner?: string },
  byPath: Map<string, FileRef>,
) {
  if (row.kind !== 'conflict') throw new UserError(`winner choices are for conflicts, not ${row.kind}`);
  const planned = (JSON.parse(row.operationsJson) as Operation[]).map((operation) => operation.from);
  // Keep both without naming a winner keeps the version the plan kept.
  const winner = choice.winner ?? files.find((file) => !planned.includes(file.path))?.path;
  if (!winner || !byPath.has(winner)) throw new UserError('name the version to keep in place');
  return {
    // Copies in archive sets are versions to look at; they stay where they are either way.
    displaced: files.filter((file) => file.path !== winner && !file.intended),
    destination: (choice.resolution === 'winner' ? 'archive' : 'conflicts') as Destination,
    keeper: byPath.get(winner),
  };
}
