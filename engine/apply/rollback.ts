/**
 * Undoing an apply run, newest step first. Each step is checked before it is reversed (the moved
 * file still hashes as planned, its old path is free) — again when a crash interrupted it — and
 * journaled like an apply step; it moves back the way apply moves, never over a file. A step
 * whose file changed since is refused and named, never forced. Copies the run made are moved
 * into the run's journal folder rather than deleted; folders the run created are removed when
 * empty; parent-folder mtimes are put back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { z } from 'zod';
import { UserError, type Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { defineJob, getJob, ownerIsDead, requeueJob, type JobRow } from '../jobs/index.ts';
import { Journal, fsyncDirectory, operationStates, readJournal, type JournalRecord, type OperationState } from '../journal/index.ts';
import { auditRun } from './audit.ts';
import { ContentChecker } from './content.ts';
import type { ExecuteOptions } from './execute.ts';
import { createFolders, lstatOrNull, missingFolders } from './files.ts';
import { RunLock } from './lock.ts';
import { FolderNames } from './twins.ts';
import { discardOurCopy, finishMove, moveState, moveWithoutReplacing } from './move.ts';
import { displayPath, fromJournalPath, isInside, parentOf } from './paths.ts';
import { resolveRun, runOperations, type StoredOperation } from './runs.ts';
import { settleInterrupted, throughLink } from './steps.ts';

export const rollbackJobKind = 'rollback';
/** A rollback job undoes one run; version 1 names it. */
export const rollbackJob = defineJob(rollbackJobKind, 1, z.object({ runId: z.string().min(1) }));

export interface RollbackResult {
  runId: string;
  status: 'rolled-back' | 'partial' | 'nothing';
  restored: number;
  /** Steps that found their result already in place (identical content) and so changed nothing: left as found. */
  untouched: number;
  refused: { id: string; path: string; reason: string }[];
}

const now = (): string => new Date().toISOString();

/** Why a done step cannot be reversed safely, or null when it can. Content is hashed on the hash workers. */
async function refusal(op: StoredOperation, content: ContentChecker): Promise<string | null> {
  if (op.op === 'mkdir') return null;
  const to = lstatOrNull(op.to);
  if (!to?.isFile()) return `${displayPath(op.to)} is gone`;
  if ((op.expectSize !== null && to.size !== op.expectSize) || (op.expectHash !== null && (await content.hash(op.to, to)) !== op.expectHash)) {
    return `${displayPath(op.to)} changed since the run`;
  }
  if (op.op === 'move' && lstatOrNull(op.from!)) return `${displayPath(op.from!)} exists again`;
  if (op.op === 'copy') {
    const from = lstatOrNull(op.from!);
    if (!from?.isFile() || (op.expectHash !== null && (await content.hash(op.from!, from)) !== op.expectHash)) {
      return `the copy's source ${displayPath(op.from!)} changed since the run; the copy is its only verified twin`;
    }
  }
  return null;
}

/** Where a rolled-back copy is kept: the run's journal folder, under its path in the space. */
function keptCopyPath(config: Config, runId: string, to: Buffer): Buffer {
  const space = Buffer.from(config.space.replace(/\/+$/, ''));
  const relative = isInside(to, config.space) ? to.subarray(space.length + 1) : Buffer.from(path.basename(displayPath(to)));
  return Buffer.concat([Buffer.from(path.join(config.space, config.layout.journal, runId, 'rolled-back-copies')), Buffer.from('/'), relative]);
}

/** A step's reversal: the run's file goes back to where it was (a copy goes aside, into the journal folder). */
function reversal(config: Config, op: StoredOperation): { from: Buffer; to: Buffer } {
  return op.op === 'move' ? { from: op.to, to: op.from! } : { from: op.to, to: keptCopyPath(config, op.runId, op.to) };
}

/**
 * Where an undo interrupted by a crash stands: 'undone' when it landed (finishing a move caught
 * between its two steps), 'redo' when it did not (its checks then run again), or why it cannot
 * be judged. Decided from the file system, like an interrupted apply step.
 */
async function settleUndo(op: StoredOperation, back: { from: Buffer; to: Buffer }, state: OperationState, content: ContentChecker): Promise<'undone' | 'redo' | { refused: string }> {
  const where = moveState(back.from, back.to, state.undoCopying);
  // Not landed, or another file at the old path since: the checks decide (and name it).
  if (where === 'not-moved' || where === 'occupied') return 'redo';
  if (where === 'half-moved') {
    finishMove(back.from, back.to);
    return 'undone';
  }
  if (where === 'our-copy') {
    const copied = lstatOrNull(back.to)!;
    if (op.expectSize !== null && copied.size === op.expectSize && (op.expectHash === null || (await content.hash(back.to, copied)) === op.expectHash)) {
      finishMove(back.from, back.to);
      return 'undone';
    }
    discardOurCopy(back.to);
    return 'redo';
  }
  if (where === 'moved') {
    const restored = lstatOrNull(back.to)!;
    if (op.expectSize === null || restored.size === op.expectSize) return 'undone';
    return { refused: `${displayPath(back.from)} is gone and ${displayPath(back.to)} holds other content` };
  }
  return { refused: where.inconsistent };
}

/** Born (or, where the file system keeps no birth time, changed) after `ns`. */
function arrivedSince(file: Buffer, ns: bigint): boolean {
  const stat = lstatOrNull(file);
  if (!stat) return false;
  return (stat.birthtimeNs > 0n ? stat.birthtimeNs : stat.ctimeNs) >= ns;
}

/** Moves the run's file back, never over a file; the reason when it cannot. */
async function reverse(op: StoredOperation, back: { from: Buffer; to: Buffer }, undo: Undo): Promise<string | null> {
  if (op.op === 'mkdir') return null; // removed with the other folders the step created, when empty
  createFolders(missingFolders(parentOf(back.to)));
  undo.lease?.assertLease();
  const moved = await moveWithoutReplacing(back.from, back.to, {
    expectHash: op.expectHash,
    hash: undo.content.hash,
    markCopy: (marker) => undo.journal.append({ t: 'copying', id: op.id, undo: true, ...marker, at: now() }),
  });
  if (moved.kind === 'taken') return `${displayPath(back.to)} exists again`;
  if (moved.kind === 'mismatch') return `${displayPath(back.from)} changed while it was moved back`;
  return null;
}

function tidyFolders(intents: Extract<JournalRecord, { t: 'intent' }>[]): void {
  const created = intents.flatMap((intent) => intent.mkdirs.map(fromJournalPath)).reverse();
  for (const folder of created) {
    try {
      fs.rmdirSync(folder);
      fsyncDirectory(parentOf(folder));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
  }
  const first = intents[0];
  for (const { dir, mtimeNs } of first?.dirMtimes ?? []) {
    const folder = fromJournalPath(dir);
    const stat = lstatOrNull(folder);
    if (!stat?.isDirectory()) continue;
    const seconds = Number(BigInt(mtimeNs) / 1000n) / 1e6;
    fs.utimesSync(folder, Number(stat.atimeNs / 1000n) / 1e6, seconds);
  }
}

/** Who rolls back, where progress goes, and the job lease checked right before each move back. */
export type RollbackOptions = ExecuteOptions;

/** What undoing the steps of one run shares. */
interface Undo {
  config: Config;
  journal: Journal;
  content: ContentChecker;
  names: FolderNames;
  space: Buffer;
  /** When the run started (ns): a twin born before it was there before the run, as the old name was. */
  startedNs: bigint;
  lease?: RollbackOptions['lease'];
}

/** Reverses a run (or resumes an interrupted rollback), holding the run's lock. */
export async function rollbackRun(db: Db, config: Config, runRef: string, options: RollbackOptions): Promise<RollbackResult> {
  const run = resolveRun(db, runRef);
  if (run.status === 'rolled-back') return { runId: run.id, status: 'nothing', restored: 0, untouched: 0, refused: [] };
  if (run.status === 'queued' || run.status === 'running') {
    // An interrupted run may hold a step that took effect without its done record; resuming
    // settles those from the file system first, so rollback sees every step that happened.
    const job = run.jobId === null ? undefined : getJob(db, run.jobId);
    const live = job?.status === 'running' && !ownerIsDead(job.leaseOwner);
    throw new UserError(
      live
        ? `run ${run.id} is being applied right now; roll it back once it has finished`
        : `run ${run.id} was interrupted; finish it first (reconcile apply resumes it), then roll it back`,
    );
  }
  const lock = RunLock.acquire(db, path.dirname(run.journalPath), options.lease?.owner ?? null);
  const operations = runOperations(db, run.id);
  const startedNs = BigInt(Date.parse(run.startedAt ?? run.createdAt)) * 1_000_000n;
  const undo: Undo = { config, journal: Journal.open(run.journalPath), content: new ContentChecker(), names: new FolderNames(), space: Buffer.from(config.space.replace(/\/+$/, '')), startedNs, lease: options.lease };
  try {
    db.prepare(`UPDATE ApplyRun SET status = 'rolling-back' WHERE id = ?`).run(run.id);
    const result = await undoAll(db, run.id, operations.reverse(), undo, options);
    undo.journal.append({ t: 'rollback-end', status: result.status, restored: result.restored, refused: result.refused.length, at: now() });
    db.transaction(() => {
      db.prepare(`UPDATE ApplyRun SET status = ?, rolledBackAt = ?, rollbackJson = ? WHERE id = ?`).run(
        result.status === 'rolled-back' ? 'rolled-back' : 'rolling-back',
        now(),
        JSON.stringify(result),
        run.id,
      );
      db.prepare(`UPDATE Decision SET appliedRunId = NULL WHERE appliedRunId = ?`).run(run.id);
      auditRun(db, options.actor, 'rollback.finished', run.id, { status: result.status, restored: result.restored, refused: result.refused.length });
    })();
    return result;
  } finally {
    await lock.releaseAfter(
      () => undo.journal.close(),
      () => undo.content.close(),
    );
  }
}

/**
 * Undoes the steps that took effect (`operations` newest first); each is restored or refused with the reason.
 * Which steps took effect is read from the journal, not only from the database's `done`: a run
 * stopped by a full disk may have acted on steps whose outcome it could not write (their intents
 * are there, the file system says whether they landed).
 */
async function undoAll(db: Db, runId: string, operations: StoredOperation[], undo: Undo, options: RollbackOptions): Promise<RollbackResult> {
  const states = operationStates(readJournal(undo.journal.file).records);
  const markOperation = db.prepare(`UPDATE Operation SET status = 'rolled-back', reason = NULL WHERE runId = ? AND id = ?`);
  const refused: RollbackResult['refused'] = [];
  let restored = 0;
  let untouched = 0;
  for (const [index, op] of operations.entries()) {
    await yieldToLoop();
    options.progress?.({ phase: 'rollback', done: index, total: operations.length, message: displayPath(op.to) });
    const state = states.get(op.id) ?? { intents: [], undone: false, undoStarted: false };
    const happened = await tookEffect(op, state, undo);
    if (happened === false) continue;
    if (happened === 'untouched') {
      undo.journal.append({ t: 'undo-done', id: op.id, untouched: true, at: now() });
      markOperation.run(runId, op.id);
      untouched += 1;
      continue;
    }
    // Undone before a crash (the database had not heard of it yet), or undone now.
    const reason = happened !== true ? happened.refused : state.undone ? null : await undoStep(op, state, undo);
    if (reason) {
      undo.journal.append({ t: 'undo-refused', id: op.id, reason, at: now() });
      refused.push({ id: op.id, path: displayPath(op.from ?? op.to), reason });
      continue;
    }
    if (!state.undone) {
      tidyFolders(state.intents);
      undo.journal.append({ t: 'undo-done', id: op.id, at: now() });
    }
    markOperation.run(runId, op.id);
    restored += 1;
  }
  const status = refused.length === 0 ? 'rolled-back' : 'partial';
  options.progress?.({ phase: 'rollback', done: operations.length, total: operations.length, message: status }, true);
  return { runId, status, restored, untouched, refused };
}

/**
 * Whether the step changed the file system in this run: done (by the database or the journal),
 * or interrupted — an intent whose outcome is missing or a failure — and landed on disk, which
 * is settled (and journaled as done) here first. 'untouched' for a step that found its result
 * in place already (a copy's identical twin, a move someone else made): reversing it would undo
 * what was there before the run. A refusal when the disk cannot tell.
 */
async function tookEffect(op: StoredOperation, state: OperationState, undo: Undo): Promise<boolean | 'untouched' | { refused: string }> {
  if (op.status === 'rolled-back') return false;
  if (state.undone) return true;
  if (state.outcome?.t === 'done' && state.outcome.detected && state.intents.length === 0) return 'untouched';
  if (op.status === 'done' || state.outcome?.t === 'done') return true;
  const interrupted = state.intents.at(-1);
  if (!interrupted || state.outcome?.t === 'skip') return false;
  const settled = await settleInterrupted(op, interrupted, state, undo.content);
  if (settled === 'not-applied') return false;
  if (settled !== 'applied') return { refused: settled.inconsistent };
  undo.journal.append({ t: 'done', id: op.id, hash: op.expectHash ?? undefined, notPreserved: [], detected: true, at: now() });
  return true;
}

/**
 * Undoes one step, or says why not. An undo that a crash interrupted is settled from the file
 * system first; one that had not landed runs every check again — the file at the old path may be
 * new since — before anything moves.
 */
async function undoStep(op: StoredOperation, state: OperationState, undo: Undo): Promise<string | null> {
  const back = reversal(undo.config, op);
  if (state.undoStarted && op.op !== 'mkdir') {
    const settled = await settleUndo(op, back, state, undo.content);
    if (settled === 'undone') return null;
    if (settled !== 'redo') return settled.refused;
  }
  const reason = throughLink([back.from, back.to], undo.space) ?? (await refusal(op, undo.content));
  if (reason) return reason;
  // Another file that differs from the old name only by case or normalisation arrived since the run.
  const twin = op.op === 'move' ? undo.names.twinOf(back.to) : null;
  if (twin && arrivedSince(twin, undo.startedNs)) return `${displayPath(twin)} exists now; ${displayPath(back.to)} would differ from it only by case or Unicode normalisation`;
  if (!state.undoStarted) undo.journal.append({ t: 'undo-intent', id: op.id, at: now() });
  return reverse(op, back, undo);
}

/** Queues a rollback job for the run (once per run; a failed one is queued again). */
export function enqueueRollback(db: Db, runRef: string, actor: string): { runId: string; job: JobRow } {
  return db
    .transaction(() => {
      const run = resolveRun(db, runRef);
      const { job } = rollbackJob.enqueue(db, { idempotencyKey: `rollback:${run.id}`, payload: { runId: run.id }, createdBy: actor });
      if (job.status === 'failed' || job.status === 'cancelled' || job.status === 'succeeded') requeueJob(db, job.id);
      return { runId: run.id, job: getJob(db, job.id)! };
    })
    .immediate();
}
