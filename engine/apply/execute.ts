/**
 * Carries out an apply run, step by step, journal first:
 *   intent (fsynced) → act → its folders fsynced → done → database mirror.
 * On resume the journal says which steps finished; a step with an intent but no outcome is
 * settled by looking at the file system (did the rename land? is the copy in place and whole?),
 * so a crash anywhere neither repeats nor loses a step. Nothing is unlinked except this engine's
 * own half-written temp copies, which never held data of record.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { JobLostError, type JobProgress } from '../jobs/index.ts';
import { Journal, fsyncDirectory, fsyncDirectoryAsync, operationStates, readJournal, type JournalRecord, type OperationState } from '../journal/index.ts';
import { auditRun } from './audit.ts';
import { copyVerified, createFolders, deviceOf, hashFile, lstatOrNull, missingFolders, sameMtime, type BigStats, type CopyResult } from './files.ts';
import { displayPath, fromJournalPath, joinPath, journalPath, parentOf } from './paths.ts';
import { getRun, runOperations, type RunRow, type StoredOperation } from './prepare.ts';

/** Errors that stop the whole run (the next op would hit them too); the job fails and can be resumed. */
/** Copies in flight at once: bounded so memory and the work a crash throws away stay small. */
const copyWindowFiles = 64;
const copyWindowBytes = 256 * 1024 * 1024;

const stopCodes = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EIO', 'EMFILE', 'ENFILE']);

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

type Outcome =
  | { kind: 'done'; hash?: string; notPreserved: string[]; detected?: boolean; bytes: number }
  | { kind: 'skip'; reason: string; detail?: string };

type Intent = Extract<JournalRecord, { t: 'intent' }>;

const now = (): string => new Date().toISOString();

function matchesExpectation(stat: BigStats, op: StoredOperation): boolean {
  if (!stat.isFile()) return false;
  if (op.expectSize !== null && stat.size !== op.expectSize) return false;
  if (op.expectMtimeNs !== null && !sameMtime(stat.mtimeNs, op.expectMtimeNs)) return false;
  return true;
}

/** A copy's mtime may differ below the microsecond, so copies are recognised by size and hash. */
function holdsPlannedContent(stat: BigStats, op: StoredOperation): boolean {
  if (!stat.isFile() || (op.expectSize !== null && stat.size !== op.expectSize)) return false;
  return op.expectHash === null || hashFile(op.to) === op.expectHash;
}

function tempName(op: StoredOperation): Buffer {
  const tag = crypto.createHash('sha256').update(`${op.runId}\0${op.id}`).digest('hex').slice(0, 12);
  return joinPath(parentOf(op.to), `.reconcile-${tag}.tmp`);
}

/** Our own half-written copy from an interrupted attempt: it never held data of record. */
function discardTemp(tmp: Buffer): void {
  try {
    fs.unlinkSync(tmp);
    fsyncDirectory(parentOf(tmp));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Did the interrupted step take effect? Decided from the file system, not from memory. */
function settleInterrupted(op: StoredOperation, intent: Intent): 'applied' | 'not-applied' | { inconsistent: string } {
  const to = lstatOrNull(op.to);
  if (op.op === 'mkdir') return to?.isDirectory() ? 'applied' : 'not-applied';
  if (op.op === 'move') {
    const from = lstatOrNull(op.from!);
    if (to && !from && matchesExpectation(to, op)) return 'applied';
    if (from && !to) return 'not-applied';
    return { inconsistent: `after an interrupted move, source ${from ? 'exists' : 'is gone'} and destination ${to ? 'exists' : 'is missing'}` };
  }
  if (intent.tmp) discardTemp(fromJournalPath(intent.tmp));
  if (to && holdsPlannedContent(to, op)) return 'applied';
  if (to) return { inconsistent: 'after an interrupted copy, the destination holds other content' };
  return 'not-applied';
}

/** Checks before acting. Returns an outcome when the step must not (or need not) run. */
function precheck(op: StoredOperation): Outcome | { kind: 'go'; from: BigStats | null } {
  const to = lstatOrNull(op.to);
  if (op.op === 'mkdir') {
    if (!to) return { kind: 'go', from: null };
    return to.isDirectory() ? { kind: 'done', notPreserved: [], detected: true, bytes: 0 } : { kind: 'skip', reason: 'destination-exists' };
  }
  const from = lstatOrNull(op.from!);
  if (!from) {
    if (op.op === 'move' && to && matchesExpectation(to, op) && (op.expectHash === null || hashFile(op.to) === op.expectHash)) {
      return { kind: 'done', notPreserved: [], detected: true, bytes: 0 };
    }
    return { kind: 'skip', reason: 'source-missing' };
  }
  if (!from.isFile()) return { kind: 'skip', reason: 'source-not-a-file' };
  if (!matchesExpectation(from, op)) {
    return { kind: 'skip', reason: 'source-changed', detail: `size ${from.size}, mtime ${from.mtimeNs} differ from the plan` };
  }
  if (to) {
    const identical = op.expectHash !== null && holdsPlannedContent(to, op);
    if (identical && op.op === 'copy') return { kind: 'done', notPreserved: [], detected: true, bytes: 0 };
    return { kind: 'skip', reason: identical ? 'destination-identical' : 'destination-exists' };
  }
  if (op.op === 'move') {
    if (deviceOf(parentOf(op.to)) !== from.dev) return { kind: 'skip', reason: 'cross-filesystem', detail: 'a move across file systems would unlink the source' };
    // Rename is cheap; reading the source once more is what proves it is still the planned content.
    if (op.expectHash !== null && hashFile(op.from!) !== op.expectHash) return { kind: 'skip', reason: 'source-changed', detail: 'content hash differs from the plan' };
  }
  return { kind: 'go', from };
}

/** Steps that take effect in one call: folder creation and same-filesystem moves (renames). */
function act(op: StoredOperation, intent: Intent, touched: (dir: Buffer) => void, durableFolders: Set<string>): Outcome {
  createFolders(intent.mkdirs.map(fromJournalPath), durableFolders);
  if (op.op === 'mkdir') return { kind: 'done', notPreserved: [], bytes: 0 };
  if (lstatOrNull(op.to)) return { kind: 'skip', reason: 'destination-exists' };
  fs.renameSync(op.from!, op.to);
  touched(parentOf(op.to));
  touched(parentOf(op.from!));
  return { kind: 'done', hash: op.expectHash ?? undefined, notPreserved: [], bytes: 0 };
}

/** The data half of a copy: the temp file written, fsynced and read back. Nothing is visible yet. */
function startCopy(op: StoredOperation, intent: Intent, onBytes: (bytes: number) => void, durableFolders: Set<string>): Promise<CopyResult> {
  createFolders(intent.mkdirs.map(fromJournalPath), durableFolders);
  const tmp = fromJournalPath(intent.tmp!);
  const copy = copyVerified(op.from!, tmp, onBytes).catch((error: unknown) => {
    discardTemp(tmp);
    throw error;
  });
  copy.catch(() => undefined); // awaited later, in order; a failure must not count as unhandled meanwhile
  return copy;
}

/** The visible half of a copy: checks both hashes, then renames the temp file into place. */
function placeCopy(op: StoredOperation, intent: Intent, copy: CopyResult, touched: (dir: Buffer) => void): Outcome {
  const tmp = fromJournalPath(intent.tmp!);
  const wanted = op.expectHash ?? hashFile(op.from!);
  if (copy.writtenHash !== wanted) {
    discardTemp(tmp);
    // Either the source changed since the plan (skip it) or the copy is damaged (stop).
    if (op.expectHash !== null && hashFile(op.from!) !== op.expectHash) {
      return { kind: 'skip', reason: 'source-changed', detail: 'content hash differs from the plan' };
    }
    throw Object.assign(new Error(`copy of ${displayPath(op.from!)} read back with a different hash`), { code: 'EVERIFY' });
  }
  if (lstatOrNull(op.to)) {
    discardTemp(tmp);
    return { kind: 'skip', reason: 'destination-exists' };
  }
  fs.renameSync(tmp, op.to);
  touched(parentOf(op.to));
  return { kind: 'done', hash: copy.writtenHash, notPreserved: copy.notPreserved, bytes: copy.bytes };
}

/** mtimes of the folders a step changes (including the parent of the first folder it creates). */
function dirMtimes(op: StoredOperation, created: Buffer[]): Intent['dirMtimes'] {
  const dirs = [op.from ? parentOf(op.from) : null, parentOf(op.to), created[0] ? parentOf(created[0]) : null].filter(
    (dir): dir is Buffer => dir !== null,
  );
  return dirs.flatMap((dir) => {
    const stat = lstatOrNull(dir);
    return stat ? [{ dir: journalPath(dir), mtimeNs: String(stat.mtimeNs) }] : [];
  });
}

export interface ExecuteOptions {
  actor: string;
  progress?: (progress: JobProgress, force?: boolean) => void;
}

/** Runs (or resumes) an apply run to its end. Throws ApplyStoppedError when a step fails. */
export async function executeRun(db: Db, config: Config, runId: string, options: ExecuteOptions): Promise<ApplySummary> {
  const run = getRun(db, runId);
  if (!run) throw new Error(`no apply run ${runId}`);
  const operations = runOperations(db, runId);
  const { records } = readJournal(run.journalPath);
  const states = operationStates(records);
  const resumed = records.length > 0;
  const journal = Journal.open(run.journalPath);
  const by = `${options.actor}@${os.hostname()}:${process.pid}`;
  journal.append(resumed ? { t: 'resume', run: runId, at: now(), by } : { t: 'begin', run: runId, ops: operations.length, at: now(), by });

  db.prepare(`UPDATE ApplyRun SET status = 'running', startedAt = COALESCE(startedAt, ?), error = NULL WHERE id = ?`).run(now(), runId);
  const markOperation = db.prepare(
    `UPDATE Operation SET status = ?, reason = ?, resultHash = COALESCE(?, resultHash), notPreservedJson = ?,
       startedAt = COALESCE(startedAt, ?), finishedAt = ? WHERE runId = ? AND id = ?`,
  );
  const mirror = (op: StoredOperation, status: StoredOperation['status'], extra: { reason?: string; hash?: string; notPreserved?: string[] } = {}) => {
    const at = now();
    markOperation.run(status, extra.reason ?? null, extra.hash ?? null, JSON.stringify(extra.notPreserved ?? []), at, status === 'started' ? null : at, runId, op.id);
    op.status = status;
  };

  let bytesDone = 0;
  const bytesTotal = Number(run.bytesTotal);
  const report = (done: number, message: string, force = false) =>
    options.progress?.({ phase: 'apply', done, total: operations.length, bytesDone, bytesTotal, message }, force);

  // An outcome record must not reach the disk before what it claims: the folders a step's rename
  // changed are fsynced first. So outcomes wait here and are written in groups — their folders
  // fsynced once each, then the records appended and mirrored in one transaction. A crash loses
  // at most the waiting records; resume re-derives those from the file system.
  const waiting: { op: StoredOperation; outcome: Outcome }[] = [];
  const dirtyFolders = new Map<string, Buffer>();
  const touched = (dir: Buffer) => dirtyFolders.set(dir.toString('latin1'), dir);
  const record = (op: StoredOperation, outcome: Outcome) => {
    waiting.push({ op, outcome });
  };
  const writeOutcomes = (outcomes: typeof waiting) => {
    for (const { op, outcome } of outcomes) {
      journal.append(
        outcome.kind === 'done'
          ? { t: 'done', id: op.id, hash: outcome.hash, notPreserved: outcome.notPreserved, detected: outcome.detected, at: now() }
          : { t: 'skip', id: op.id, reason: outcome.reason, detail: outcome.detail, at: now() },
        { durable: false },
      );
    }
    db.transaction(() => {
      for (const { op, outcome } of outcomes) {
        if (outcome.kind === 'done') mirror(op, 'done', { hash: outcome.hash, notPreserved: outcome.notPreserved });
        else mirror(op, 'skipped', { reason: outcome.reason });
      }
    })();
  };
  const settle = () => {
    for (const dir of dirtyFolders.values()) fsyncDirectory(dir);
    dirtyFolders.clear();
    writeOutcomes(waiting.splice(0));
  };
  /** settle() with the folder fsyncs on libuv's threads, so copies in flight keep being verified. */
  const settleAsync = async () => {
    const folders = [...dirtyFolders.values()];
    const outcomes = waiting.splice(0);
    dirtyFolders.clear();
    await Promise.all(folders.map((dir) => fsyncDirectoryAsync(dir)));
    writeOutcomes(outcomes);
  };
  const onBytes = (bytes: number) => {
    bytesDone += bytes;
  };
  const durableFolders = new Set<string>();
  const intentFor = (op: StoredOperation): Intent => {
    const created = missingFolders(op.op === 'mkdir' ? op.to : parentOf(op.to));
    return {
      t: 'intent',
      id: op.id,
      seq: op.seq,
      op: op.op,
      from: op.from ? journalPath(op.from) : undefined,
      to: journalPath(op.to),
      expect: op.expectSize !== null ? { size: Number(op.expectSize), mtimeNs: String(op.expectMtimeNs), hash: op.expectHash } : undefined,
      mkdirs: created.map(journalPath),
      dirMtimes: dirMtimes(op, created),
      tmp: op.op === 'copy' ? journalPath(tempName(op)) : undefined,
      at: now(),
    };
  };

  // Copies in a row run together: their intents share one journal fsync, their data fsyncs
  // overlap, their outcomes share the folder fsyncs; each still takes effect (rename) in order,
  // so resume sees the same protocol.
  const inFlight = new Map<string, { intent: Intent; copy: Promise<CopyResult> }>();
  let consideredUpTo = 0;
  const startCopies = async (index: number): Promise<void> => {
    const batch: { op: StoredOperation; intent: Intent }[] = [];
    let bytes = 0;
    for (let next = index; next < operations.length && inFlight.size + batch.length < copyWindowFiles && bytes < copyWindowBytes; next++) {
      const candidate = operations[next]!;
      if (candidate.op !== 'copy' || states.has(candidate.id) || precheck(candidate).kind !== 'go') break;
      batch.push({ op: candidate, intent: intentFor(candidate) });
      bytes += Number(candidate.expectSize ?? 0n);
    }
    consideredUpTo = index + batch.length;
    if (batch.length === 0) return;
    await settleAsync();
    for (const { intent } of batch) journal.append(intent, { durable: false });
    // No temp file may exist before the intent naming it is on disk.
    await journal.flush();
    db.transaction(() => batch.forEach(({ op }) => mirror(op, 'started')))();
    for (const { op, intent } of batch) inFlight.set(op.id, { intent, copy: startCopy(op, intent, onBytes, durableFolders) });
  };
  /** After a failure: let started copies finish and drop their temp files (their intents stay open). */
  const abandonCopies = async () => {
    for (const { intent, copy } of inFlight.values()) {
      await copy.catch(() => undefined);
      discardTemp(fromJournalPath(intent.tmp!));
    }
    inFlight.clear();
  };

  try {
    for (const [index, op] of operations.entries()) {
      await yieldToLoop();
      report(index, displayPath(op.to));
      const state: OperationState | undefined = states.get(op.id);
      const final = state?.outcome && state.outcome.t !== 'fail' ? state.outcome : undefined;
      if (final) {
        // Finished before a crash; the database may not have heard of it yet.
        const status = final.t === 'done' ? 'done' : 'skipped';
        if (op.status !== status) mirror(op, status, final.t === 'skip' ? { reason: final.reason } : { hash: final.hash, notPreserved: final.notPreserved });
        continue;
      }
      const interrupted = state?.intents.at(-1);
      if (interrupted) {
        const settled = settleInterrupted(op, interrupted);
        if (settled === 'applied') {
          // The effect landed before the crash, perhaps not yet on disk: its folder goes first.
          touched(parentOf(op.to));
          record(op, { kind: 'done', hash: op.expectHash ?? undefined, notPreserved: [], detected: true, bytes: 0 });
          continue;
        }
        if (settled !== 'not-applied') {
          record(op, { kind: 'skip', reason: 'interrupted-inconsistent', detail: settled.inconsistent });
          continue;
        }
      }
      try {
        // Keep the window of copies topped up (half empty before refilling, so intents batch).
        if (inFlight.size <= copyWindowFiles / 2 && (inFlight.has(op.id) || (op.op === 'copy' && !state))) {
          await startCopies(Math.max(index, consideredUpTo));
        }
        const flight = inFlight.get(op.id);
        if (flight) {
          inFlight.delete(op.id);
          record(op, placeCopy(op, flight.intent, await flight.copy, touched));
          continue;
        }
        const checked = precheck(op);
        if (checked.kind !== 'go') {
          record(op, checked);
          continue;
        }
        const intent = intentFor(op);
        settle();
        journal.append(intent);
        mirror(op, 'started');
        record(op, op.op === 'copy' ? placeCopy(op, intent, await startCopy(op, intent, onBytes, durableFolders), touched) : act(op, intent, touched, durableFolders));
      } catch (error) {
        const err = error as NodeJS.ErrnoException;
        const code = err.code ?? 'ERROR';
        const message = `${op.op} ${displayPath(op.from ?? op.to)}: ${err.message}`;
        try {
          journal.append({ t: 'fail', id: op.id, code, message, at: now() });
        } catch {
          // The journal's disk may be the full one; the missing outcome is settled on resume.
        }
        mirror(op, 'failed', { reason: code });
        await abandonCopies();
        if (stopCodes.has(code) || code === 'EVERIFY') throw new ApplyStoppedError(message);
        throw error;
      }
    }
    settle();
    report(operations.length, 'finished', true);
    const summary = finishRun(db, journal, runId, resumed, 'succeeded');
    auditRun(db, options.actor, 'apply.finished', runId, { done: summary.done, skipped: summary.skipped, failed: summary.failed, resumed });
    return summary;
  } catch (error) {
    // Another worker holds the run now; it owns the journal and the run's status from here.
    if (error instanceof JobLostError) throw error;
    try {
      settle();
    } catch {
      // Outcomes that could not be written are re-derived from the file system on resume.
    }
    const message = error instanceof Error ? error.message : String(error);
    db.prepare(`UPDATE ApplyRun SET error = ? WHERE id = ?`).run(message, runId);
    finishRun(db, journal, runId, resumed, 'failed');
    throw error;
  } finally {
    journal.close();
  }
}

function finishRun(db: Db, journal: Journal, runId: string, resumed: boolean, status: 'succeeded' | 'failed'): ApplySummary {
  const counts = db
    .prepare(
      `SELECT SUM(status = 'done') AS done, SUM(status = 'skipped') AS skipped, SUM(status = 'failed') AS failed,
         SUM(CASE WHEN status = 'done' AND op = 'copy' THEN COALESCE(expectSize, 0) ELSE 0 END) AS bytesDone, COUNT(*) AS total
       FROM Operation WHERE runId = ?`,
    )
    .get(runId) as { done: number | null; skipped: number | null; failed: number | null; bytesDone: number | null; total: number };
  const done = counts.done ?? 0;
  const skipped = counts.skipped ?? 0;
  const failed = counts.failed ?? 0;
  db.transaction(() => {
    db.prepare(
      `UPDATE ApplyRun SET status = ?, doneCount = ?, skippedCount = ?, failedCount = ?, bytesDone = ?, finishedAt = ? WHERE id = ?`,
    ).run(status, done, skipped, failed, counts.bytesDone ?? 0, now(), runId);
    if (status === 'succeeded') {
      // A decision is carried out when every one of its steps is done.
      db.prepare(
        `UPDATE Decision SET appliedRunId = ? WHERE appliedRunId IS NULL AND decisionKey IN (
           SELECT decisionKey FROM Operation WHERE runId = ? GROUP BY decisionKey HAVING SUM(status != 'done') = 0)`,
      ).run(runId, runId);
    }
  })();
  try {
    journal.append({ t: 'end', status, done, skipped, failed, at: now() });
  } catch (error) {
    // A failed run may have failed because this disk is full; resume does not need the line.
    if (status === 'succeeded') throw error;
  }
  const flagged = db
    .prepare(`SELECT id, toPath, fromPath, reason FROM Operation WHERE runId = ? AND status IN ('skipped', 'failed') ORDER BY seq`)
    .all(runId) as { id: string; toPath: string; fromPath: string | null; reason: string }[];
  const notPreserved = db
    .prepare(`SELECT id, toPath, notPreservedJson FROM Operation WHERE runId = ? AND notPreservedJson != '[]' ORDER BY seq`)
    .all(runId) as { id: string; toPath: string; notPreservedJson: string }[];
  return {
    runId,
    status,
    total: counts.total,
    done,
    skipped,
    failed,
    bytesDone: counts.bytesDone ?? 0,
    flagged: flagged.map((row) => ({ id: row.id, path: row.fromPath ?? row.toPath, reason: row.reason })),
    notPreserved: notPreserved.map((row) => ({ id: row.id, path: row.toPath, what: JSON.parse(row.notPreservedJson) as string[] })),
    resumed,
  };
}
