/**
 * Carries out an apply run, batch by batch, journal first:
 *   prepare a batch (settle what needs no action, check each step) → journal its intents
 *   (one fsync for the batch) → run its steps (each checked again right before it acts) → the
 *   folders they changed fsynced once each → outcomes written and mirrored in one transaction.
 * Operations are read from the database a page at a time, so memory does not grow with the run.
 * On resume the journal says which steps finished; a step with an intent but no outcome is
 * settled by looking at the file system (did the rename land? is the copy in place and whole?),
 * so a crash anywhere neither repeats nor loses a step. Nothing is unlinked except this engine's
 * own half-written temp copies, which never held data of record.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { JobLostError, type JobControl, type JobProgress } from '../jobs/index.ts';
import { Journal, foldRecord, forEachRecord, fsyncDirectoryAsync, isFsyncFailure, type OperationState } from '../journal/index.ts';
import { auditRun } from './audit.ts';
import { ContentChecker } from './content.ts';
import { PlainFolders, type CopyResult } from './files.ts';
import { RunLock } from './lock.ts';
import { FolderNames } from './twins.ts';
import { PendingOutcomes } from './outcomes.ts';
import { displayPath, fromJournalPath, parentOf } from './paths.ts';
import {
  OperationCursor,
  OperationMirror,
  getRun,
  markRunFinished,
  markRunStarted,
  recordRunError,
  runCounts,
  runFlags,
  type RunEnd,
  type RunRow,
  type StoredOperation,
} from './runs.ts';
import { act, discardTemp, intentFor, linkInBatch, placeCopy, precheck, settleInterrupted, startCopy, type Intent, type StepContext } from './steps.ts';

/** Copies placed together: bounded so memory and the work a crash throws away stay small. */
const copyBatchFiles = 64;
const copyBatchBytes = 256 * 1024 * 1024;
/**
 * Moves committed together (one journal fsync, each folder fsynced once): enough that the fsyncs
 * are shared by many moves, few enough that a batch's state stays small.
 */
const moveBatchSteps = 512;

/**
 * Errors that stop the whole run: the next step would hit them too (a full, read-only or failing
 * disk, no file descriptors left). The run is resumed once the cause is fixed. Any other error
 * belongs to the step's own files (ENOTDIR, EACCES on one folder, ENAMETOOLONG, ...): the step is
 * recorded as failed and the run goes on.
 */
const stopCodes = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO', 'EMFILE', 'ENFILE', 'ENOMEM', 'EVERIFY']);

export class ApplyStoppedError extends Error {
  override readonly name = 'ApplyStoppedError';
}

export interface ApplySummary {
  runId: string;
  status: RunRow['status'];
  total: number;
  done: number;
  skipped: number;
  failed: number;
  bytesDone: number;
  flagged: { id: string; path: string; reason: string }[];
  notPreserved: { id: string; path: string; what: string[] }[];
  resumed: boolean;
}

export interface ExecuteOptions {
  actor: string;
  progress?: (progress: JobProgress, force?: boolean) => void;
  /** The job lease the run works under: checked right before each rename (the run stops once it is lost). */
  lease?: Pick<JobControl, 'owner' | 'assertLease'>;
}

interface Step {
  op: StoredOperation;
  intent: Intent;
}

/**
 * Steps that act together: one step; a row of copies whose intents share one journal fsync,
 * whose data fsyncs overlap and whose outcomes share the folder fsyncs; or a row of fresh moves
 * none of which changes a path another reads or changes (see BatchPaths), so doing them together
 * is doing them in order, whose intents share one journal fsync and whose folders are fsynced
 * once per batch. Each still takes effect in order with the protocol of one step, so resume sees
 * the same journal.
 */
interface Batch {
  kind: 'single' | 'copies' | 'moves';
  steps: Step[];
}

const keyOf = (raw: Buffer): string => raw.toString('latin1');

/**
 * The paths of a batch of moves: those its steps change (source, destination) and those they only
 * read (kept copies). A step joins when it changes no path of the batch and reads none the batch
 * changes, so doing the batch's steps together is doing them in order.
 */
class BatchPaths {
  private readonly changed = new Set<string>();
  private readonly read = new Set<string>();

  constructor(first: StoredOperation) {
    this.add(first);
  }

  admit(op: StoredOperation): boolean {
    const changes = [op.from!, op.to].map(keyOf);
    if (changes.some((key) => this.changed.has(key) || this.read.has(key))) return false;
    if (op.keeper && this.changed.has(keyOf(op.keeper.path))) return false;
    this.add(op);
    return true;
  }

  private add(op: StoredOperation): void {
    this.changed.add(keyOf(op.from!));
    this.changed.add(keyOf(op.to));
    if (op.keeper) this.read.add(keyOf(op.keeper.path));
  }
}

const now = (): string => new Date().toISOString();

const failureMessage = (op: StoredOperation, error: Error): string => `${op.op} ${displayPath(op.from ?? op.to)}: ${error.message}`;

/**
 * Runs (or resumes) an apply run to its end: `succeeded`, or `finished-with-failures` when some
 * steps failed on their own files. Throws ApplyStoppedError when a condition every step would hit
 * (a full disk) stops it; it is resumed from there.
 */
export async function executeRun(db: Db, config: Config, runId: string, options: ExecuteOptions): Promise<ApplySummary> {
  const execution = Execution.open(db, config, runId, options);
  try {
    await execution.runAll();
    return execution.finish();
  } catch (error) {
    throw execution.fail(error);
  } finally {
    await execution.close();
  }
}

class Execution {
  private bytesDone = 0;
  private readonly inFlight = new Map<string, { intent: Intent; copy: Promise<CopyResult> }>();
  private readonly mirror: OperationMirror;
  private readonly outcomes: PendingOutcomes;
  private readonly steps: StepContext;

  private constructor(
    private readonly db: Db,
    private readonly lock: RunLock,
    private readonly run: RunRow,
    private readonly cursor: OperationCursor,
    private readonly states: Map<string, OperationState>,
    private readonly journal: Journal,
    private readonly resumed: boolean,
    config: Config,
    private readonly options: ExecuteOptions,
  ) {
    this.mirror = new OperationMirror(db, run.id);
    this.outcomes = new PendingOutcomes(journal, this.mirror);
    this.steps = {
      content: new ContentChecker(),
      durableFolders: new Set(),
      touch: this.outcomes.touch,
      markCopy: (op, marker) => journal.append({ t: 'copying', id: op.id, ...marker, at: now() }),
      onBytes: (bytes) => {
        this.bytesDone += bytes;
      },
      beforeRename: () => options.lease?.assertLease(),
      names: new FolderNames(),
      plain: new PlainFolders(),
      space: Buffer.from(config.space.replace(/\/+$/, '')),
      mirrorRoots: [path.join(config.space, config.layout.archive, run.id), path.join(config.space, config.layout.conflicts, run.id)],
    };
  }

  /**
   * Takes the run's lock (one process per run), reads the run, its operations and its journal so
   * far, and journals the (re)start. Throws RunLockedError, touching nothing, while another live
   * process holds the run.
   */
  static open(db: Db, config: Config, runId: string, options: ExecuteOptions): Execution {
    const run = getRun(db, runId);
    if (!run) throw new Error(`no apply run ${runId}`);
    const lock = RunLock.acquire(db, path.dirname(run.journalPath), options.lease?.owner ?? null);
    try {
      const { states, resumed } = journalStates(db, run);
      const journal = Journal.open(run.journalPath);
      const by = `${options.actor}@${os.hostname()}:${process.pid}`;
      journal.append(
        resumed
          ? { t: 'resume', run: runId, at: now(), by }
          : { t: 'begin', run: runId, ops: run.opCount, at: now(), by, opsHash: run.opsHash, createdBy: run.createdBy, createdAt: run.createdAt },
      );
      markRunStarted(db, runId);
      return new Execution(db, lock, run, new OperationCursor(db, runId), states, journal, resumed, config, options);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  async runAll(): Promise<void> {
    for (let batch = await this.prepareBatch(); batch; batch = await this.prepareBatch()) {
      // The journal and the database are every step's: a failure there stops the run.
      await this.journalBatch(batch).catch((error: unknown) => this.stop(batch.steps[0]!.op, error));
      if (batch.kind === 'moves') await this.runMoves(batch.steps);
      else await this.runBatch(batch);
    }
    this.outcomes.settle();
    this.report(this.run.opCount, 'finished', true);
  }

  /**
   * Settles the operations that need no action (finished before a crash, interrupted but landed,
   * failing their checks) up to the next one that acts, and gathers the steps that act with it.
   * Undefined at the run's end.
   */
  private async prepareBatch(): Promise<Batch | undefined> {
    this.steps.plain.clear();
    for (let op = this.cursor.next(); op; op = this.cursor.next()) {
      await yieldToLoop();
      this.report(op.seq, displayPath(op.to));
      const state = this.states.get(op.id);
      if (this.resolvedByJournal(op, state)) continue;
      const interrupted = state?.intents.at(-1);
      const described = interrupted !== undefined;
      if (interrupted) {
        const settled = await this.attempt(op, described, () => this.settleFromDisk(op, interrupted, state!));
        if (!settled.ok || settled.value) continue;
      }
      if (!state && op.op === 'move') {
        const moves = await this.joinMoves(op);
        if (moves) return moves;
        continue;
      }
      const checked = await this.attempt(op, described, () => precheck(op, this.steps));
      if (!checked.ok) continue;
      if (checked.value.kind !== 'go') {
        this.outcomes.record(op, checked.value, { describe: !described });
        continue;
      }
      const first = { op, intent: intentFor(op) };
      if (state || op.op === 'mkdir') return { kind: 'single', steps: [first] };
      return this.joinCopies(first);
    }
    return undefined;
  }

  /**
   * The next operation when it is fresh and `fits` the batch, checked: a step to join, 'recorded'
   * when its checks settled it (no action), undefined when the batch ends before it.
   */
  private async joining(fits: (op: StoredOperation) => boolean): Promise<Step | 'recorded' | undefined> {
    const op = this.cursor.peek();
    if (!op || !this.fresh(op) || !fits(op)) return undefined;
    this.cursor.next();
    const checked = await this.attempt(op, false, () => precheck(op, this.steps));
    if (!checked.ok) return 'recorded';
    if (checked.value.kind !== 'go') {
      this.outcomes.record(op, checked.value, { describe: true });
      return 'recorded';
    }
    return { op, intent: intentFor(op) };
  }

  /** Fresh copies in a row, up to a count and a size. */
  private async joinCopies(first: Step): Promise<Batch> {
    const steps = [first];
    let bytes = Number(first.op.expectSize ?? 0n);
    for (;;) {
      const step = await this.joining((op) => op.op === 'copy' && steps.length < copyBatchFiles && bytes < copyBatchBytes);
      if (step === undefined) break;
      if (step === 'recorded') continue;
      steps.push(step);
      bytes += Number(step.op.expectSize ?? 0n);
    }
    return { kind: 'copies', steps };
  }

  /**
   * Fresh moves in a row, from `first` on, none of which changes a path another reads or changes
   * (kept copies are only read: the losers of one cluster share theirs and move together). Their
   * checks run side by side, so the hashes they need go to the workers a batch at a time, then are
   * taken in order. Undefined when their checks settled them all.
   */
  private async joinMoves(first: StoredOperation): Promise<Batch | undefined> {
    const candidates = [first];
    const batchPaths = new BatchPaths(first);
    for (let op = this.cursor.peek(); op && candidates.length < moveBatchSteps && this.fresh(op) && op.op === 'move'; op = this.cursor.peek()) {
      if (!batchPaths.admit(op)) break;
      this.cursor.next();
      candidates.push(op);
    }
    const checks = await Promise.all(
      candidates.map((op) => precheck(op, this.steps).then((outcome) => ({ outcome }), (error: unknown) => ({ error }))),
    );
    const steps: Step[] = [];
    for (const [index, op] of candidates.entries()) {
      const check = checks[index]!;
      const checked = await this.attempt(op, false, () => {
        if ('error' in check) throw check.error;
        return check.outcome;
      });
      if (!checked.ok) continue;
      if (checked.value.kind === 'go') steps.push({ op, intent: intentFor(op) });
      else this.outcomes.record(op, checked.value, { describe: true });
    }
    return steps.length > 0 ? { kind: 'moves', steps } : undefined;
  }

  /** Neither named by the journal nor finished: the operation can join a batch. */
  private fresh(op: StoredOperation): boolean {
    return !this.states.has(op.id) && op.status !== 'done' && op.status !== 'skipped';
  }

  /**
   * Finished before a crash: the database may not have heard of it yet. An operation the journal
   * and the database both record as finished has no state kept (see journalStates).
   */
  private resolvedByJournal(op: StoredOperation, state: OperationState | undefined): boolean {
    if (!state) return op.status === 'done' || op.status === 'skipped';
    const final = state.outcome && state.outcome.t !== 'fail' ? state.outcome : undefined;
    if (!final) return false;
    const status = final.t === 'done' ? 'done' : 'skipped';
    if (op.status !== status) this.mirror.set(op, status, final.t === 'skip' ? { reason: final.reason } : { hash: final.hash, notPreserved: final.notPreserved });
    return true;
  }

  /** An intent without an outcome: true when the step needs nothing more (it landed, or cannot be judged). */
  private async settleFromDisk(op: StoredOperation, interrupted: Intent, state: OperationState): Promise<boolean> {
    const settled = await settleInterrupted(op, interrupted, state, this.steps.content);
    if (settled === 'not-applied') return false;
    if (settled === 'applied') {
      // The effect landed before the crash, perhaps not yet on disk: its folders go first.
      this.outcomes.touch(parentOf(op.to));
      if (op.from) this.outcomes.touch(parentOf(op.from));
      this.outcomes.record(op, { kind: 'done', hash: op.expectHash ?? undefined, notPreserved: [], detected: true, bytes: 0 });
    } else {
      this.outcomes.record(op, { kind: 'skip', reason: 'interrupted-inconsistent', detail: settled.inconsistent });
    }
    return true;
  }

  /**
   * Writes the earlier outcomes (their folders fsynced first), then the batch's intents, made
   * durable together by one fsync before anything of the batch acts.
   */
  private async journalBatch(batch: Batch): Promise<void> {
    if (batch.kind === 'single') {
      this.outcomes.settle();
      this.journal.append(batch.steps[0]!.intent);
      this.mirror.set(batch.steps[0]!.op, 'started');
      return;
    }
    await this.outcomes.settleAsync();
    // No step may act, and no temp file exist, before the intent naming it is on disk. Moves
    // have nothing in flight to overlap the fsync with; copies may be verifying meanwhile.
    const intents = batch.steps.map(({ intent }) => intent);
    if (batch.kind === 'moves') this.journal.appendAll(intents);
    else {
      this.journal.appendAll(intents, { durable: false });
      await this.journal.flush();
    }
    this.mirror.together(() => batch.steps.forEach(({ op }) => this.mirror.set(op, 'started')));
  }

  /** Carries out the batch's steps in order; their outcomes wait for the next settle. */
  private async runBatch(batch: Batch): Promise<void> {
    if (batch.kind === 'single') {
      const { op, intent } = batch.steps[0]!;
      await this.attempt(op, true, async () => {
        const copy = op.op === 'copy' ? await startCopy(op, intent, this.steps) : undefined;
        this.outcomes.record(op, copy ? await placeCopy(op, intent, copy, this.steps) : await act(op, intent, this.steps));
      });
      return;
    }
    for (const { op, intent } of batch.steps) this.inFlight.set(op.id, { intent, copy: startCopy(op, intent, this.steps) });
    for (const { op, intent } of batch.steps) {
      await yieldToLoop();
      this.report(op.seq, displayPath(op.to));
      await this.attempt(op, true, async () => {
        const flight = this.inFlight.get(op.id)!;
        this.inFlight.delete(op.id);
        this.outcomes.record(op, await placeCopy(op, intent, await flight.copy, this.steps));
      });
    }
  }

  /**
   * A batch of moves in two passes, with the durability of moving them one by one: every new name
   * linked (each step checked again right before, the lease too), the folders that gained names
   * fsynced once each, then every old name dropped; those folders are fsynced before the outcomes
   * are written (the next settle). A crash between the passes leaves moves with both names on one
   * inode, which resume finishes from their intents.
   */
  private async runMoves(steps: Step[]): Promise<void> {
    const gained = new Map<string, Buffer>();
    const fsyncLater = (dir: Buffer) => gained.set(dir.toString('latin1'), dir);
    const linked: Step[] = [];
    for (const step of steps) {
      this.report(step.op.seq, displayPath(step.op.to));
      await this.attempt(step.op, true, async () => {
        const outcome = await linkInBatch(step.op, step.intent, this.steps, fsyncLater);
        if (outcome === 'linked') linked.push(step);
        else this.outcomes.record(step.op, outcome);
      });
    }
    // A failed folder fsync is no step's own: the run stops, and the linked moves are finished on resume.
    await Promise.all([...gained.values()].map((dir) => fsyncDirectoryAsync(dir))).catch((error: unknown) => this.stop(null, error));
    for (const { op } of linked) {
      await this.attempt(op, true, () => {
        fs.unlinkSync(op.from!);
        this.outcomes.touch(parentOf(op.from!));
        this.outcomes.record(op, { kind: 'done', hash: op.expectHash ?? undefined, notPreserved: [], bytes: 0 });
      });
    }
  }

  /**
   * Runs one operation's work. A failure of the step's own files is recorded as its outcome and
   * the run goes on (`ok: false`); one every step would hit stops the run. `described`: an intent
   * in the journal names the operation already.
   */
  private async attempt<T>(op: StoredOperation, described: boolean, work: () => T | Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    try {
      return { ok: true, value: await work() };
    } catch (error) {
      // Another process owns the run now: it settles this step from the journal.
      if (error instanceof JobLostError) throw error;
      const err = error as NodeJS.ErrnoException;
      if (stopCodes.has(err.code ?? '') || isFsyncFailure(error)) return this.stop(op, error);
      this.outcomes.record(op, { kind: 'fail', code: err.code ?? 'ERROR', message: failureMessage(op, err) }, { describe: !described });
      return { ok: false };
    }
  }

  /**
   * Journals the failure against the step (as far as the disk allows; `op` null: a failure of no
   * one step, such as a batch's folder fsync) and stops the run.
   */
  private async stop(op: StoredOperation | null, error: unknown): Promise<never> {
    if (error instanceof JobLostError) throw error;
    const err = error as NodeJS.ErrnoException;
    const code = err.code ?? 'ERROR';
    const message = op ? failureMessage(op, err) : err.message;
    if (op) {
      try {
        this.journal.append({ t: 'fail', id: op.id, code, message, at: now() });
      } catch {
        // The journal's disk may be the full one; the missing outcome is settled on resume.
      }
      this.mirror.set(op, 'failed', { reason: code });
    }
    await this.abandonCopies();
    throw stopCodes.has(code) || isFsyncFailure(error) ? new ApplyStoppedError(message, { cause: error }) : error;
  }

  /** After a failure: let started copies finish and drop their temp files (their intents stay open). */
  private async abandonCopies(): Promise<void> {
    for (const { intent, copy } of this.inFlight.values()) {
      await copy.catch(() => undefined);
      discardTemp(fromJournalPath(intent.tmp!));
    }
    this.inFlight.clear();
  }

  private report(done: number, message: string, force = false): void {
    this.options.progress?.(
      { phase: 'apply', done, total: this.run.opCount, bytesDone: this.bytesDone, bytesTotal: Number(this.run.bytesTotal), message },
      force,
    );
  }

  finish(): ApplySummary {
    const summary = this.end(runCounts(this.db, this.run.id).failed > 0 ? 'finished-with-failures' : 'succeeded');
    auditRun(this.db, this.options.actor, 'apply.finished', this.run.id, { done: summary.done, skipped: summary.skipped, failed: summary.failed, resumed: this.resumed });
    return summary;
  }

  /** Records a failed end (unless another worker owns the run now); returns the error to rethrow. */
  fail(error: unknown): unknown {
    // Another worker holds the run now; it owns the journal and the run's status from here.
    if (error instanceof JobLostError) return error;
    // After a failed fsync nothing is fsynced again (a retry can succeed with the data lost):
    // the waiting outcomes stay unwritten and resume settles their steps from the disk.
    if (!isFsyncFailure(error) && !this.journal.failed) {
      try {
        this.outcomes.settle();
      } catch {
        // Outcomes that could not be written are re-derived from the file system on resume.
      }
    }
    recordRunError(this.db, this.run.id, error instanceof Error ? error.message : String(error));
    this.end('failed');
    return error;
  }

  private end(status: RunEnd): ApplySummary {
    const counts = runCounts(this.db, this.run.id);
    markRunFinished(this.db, this.run.id, status, counts);
    try {
      this.journal.append({ t: 'end', status, done: counts.done, skipped: counts.skipped, failed: counts.failed, at: now() });
    } catch (error) {
      // A failed run may have failed because this disk is full; resume does not need the line.
      if (status !== 'failed') throw error;
    }
    return { runId: this.run.id, status, ...counts, ...runFlags(this.db, this.run.id), resumed: this.resumed };
  }

  async close(): Promise<void> {
    await this.lock.releaseAfter(
      () => this.journal.close(),
      () => this.steps.content.close(),
    );
  }

}

/**
 * The journal so far (read in chunks), folded into the state of each operation it names. An
 * operation whose outcome the database records already needs nothing from the journal: its state
 * is dropped, so a resume of a run of millions holds the few the database lags behind on.
 */
function journalStates(db: Db, run: RunRow): { states: Map<string, OperationState>; resumed: boolean } {
  const states = new Map<string, OperationState>();
  const status = db.prepare<[string, string], string>('SELECT status FROM Operation WHERE runId = ? AND id = ?').pluck();
  const mirrored = { done: 'done', skip: 'skipped' } as const;
  let records = 0;
  forEachRecord(run.journalPath, (record) => {
    records += 1;
    foldRecord(states, record);
    if ((record.t === 'done' || record.t === 'skip') && status.get(run.id, record.id) === mirrored[record.t]) states.delete(record.id);
  });
  return { states, resumed: records > 0 };
}
