/**
 * Operations: every content a run placed is where its chain of moves ends, with the planned size
 * and hash, re-read from disk (always for the runs in scope; for earlier runs a digest kept from a
 * read of the very same, unchanged file is enough). Sources of moves are gone (unless a later step
 * filled the path again), sources of copies and of steps not carried out are still there.
 */
import { displayPath } from '../apply/index.ts';
import { placeOf, Sample, type VerifyContext } from './context.ts';
import type { OpRow } from './moves.ts';
import { statOf } from './reader.ts';
import type { OperationProblem } from './types.ts';

export async function checkOperations(context: VerifyContext): Promise<{ checked: number; problems: Sample<OperationProblem> }> {
  const { moves } = context;
  const problems = new Sample<OperationProblem>();
  let checked = 0;
  const problem = (op: OpRow, text: string, at: Buffer | null = op.fromRaw ?? op.toRaw) =>
    problems.add({ runId: op.runId, id: op.id, path: displayPath(at ?? op.toRaw), problem: text });

  for (const page of moves.placedByLocation()) {
    const groups = new Map<string, OpRow[]>();
    for (const op of page) {
      const key = op.finalRaw.toString('latin1');
      groups.set(key, [...(groups.get(key) ?? []), op]);
      if (op.inScope) checked += 1;
    }
    for (const ops of groups.values()) await checkPlacedAt(context, ops, problem);
  }
  await context.reader.drain();

  for (const page of moves.unplacedInScope()) {
    for (const op of page) {
      checked += 1;
      if (op.status === 'rolled-back') continue;
      if (op.op === 'mkdir') {
        if (op.status === 'done' && statOf(op.toRaw) === null) problem(op, 'folder missing', op.toRaw);
        continue;
      }
      // A step not carried out must have left its source alone (unless it was missing from the start, or a run moved it since).
      if (!op.fromRaw || op.reason === 'source-missing' || moves.movedTo(op.fromRaw) !== null) continue;
      if (statOf(op.fromRaw) === null) problem(op, `source missing after a ${op.status} step`);
    }
  }
  return { checked, problems };
}

/** The operations whose content ends at one path: one stat, at most one read, a verdict per operation. */
async function checkPlacedAt(context: VerifyContext, ops: OpRow[], problem: (op: OpRow, text: string, at?: Buffer | null) => void): Promise<void> {
  const { moves, reader, config } = context;
  const at = ops[0]!.finalRaw;
  const place = placeOf(config, at);
  for (const op of ops.filter((candidate) => candidate.inScope)) sourceCheck(context, op, problem);
  const stat = statOf(at);
  const elsewhere = (op: OpRow) => (op.finalRaw.equals(op.toRaw) ? '' : ` (moved on by a later run to ${displayPath(at)})`);
  const settle = (actual: string | null, why: string | null) => {
    for (const op of ops) {
      const sized = stat !== null && (op.expectSize === null || stat.size === op.expectSize);
      const holds = why === null && sized && (op.expectHash === null || actual === op.expectHash);
      moves.recordPlaced(op.ord, holds, place);
      if (holds || !op.inScope) continue;
      if (why !== null) problem(op, `${why}${elsewhere(op)}`, at);
      else if (!sized) problem(op, `destination size ${stat!.size}, planned ${op.expectSize}${elsewhere(op)}`, at);
      else problem(op, `destination does not hash as planned${elsewhere(op)}`, at);
    }
  };
  if (!stat || !stat.isFile) return settle(null, 'destination missing');
  if (!ops.some((op) => op.expectHash !== null && op.expectSize === stat.size)) return settle(null, null);
  // The runs in scope are always read again; a digest kept from reading this unchanged file serves the others.
  const kept = ops.some((op) => op.inScope) ? undefined : reader.keptDigest(stat, 'full');
  if (kept !== undefined) return settle(kept, null);
  await reader.submit(at, stat, 'full', (result) => settle('value' in result ? result.value : null, 'value' in result ? null : `destination unreadable (${result.error})`));
}

function sourceCheck(context: VerifyContext, op: OpRow, problem: (op: OpRow, text: string) => void): void {
  const { moves } = context;
  if (!op.fromRaw) return;
  const present = statOf(op.fromRaw) !== null;
  if (op.op === 'move' && present && !moves.refilled(op.fromRaw, op.ord)) problem(op, 'move source still present');
  if (op.op === 'copy' && !present && moves.movedTo(op.fromRaw, op.ord) === null) problem(op, 'copy source vanished');
}
