/**
 * Rebuilding runs the database lost from their journals. The database runs with
 * synchronous = NORMAL (a power loss may drop its latest commits) and can be restored from an
 * older backup, while every run's journal is fsynced record by record in the space. A run whose
 * journal has no row is rebuilt: the run from its `begin` record, each operation the journal
 * names (in its intent, or in the outcome of a step that never needed one) with its outcome, so
 * rollback, verify and the report work on it again. Operations that never reached the journal
 * never ran; their decisions stay approved, not carried out.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { operationStates, readJournal, type JournalRecord, type OperationState, type StepDescription } from '../journal/index.ts';
import { displayPath, fromJournalPath } from './paths.ts';
import { journalFile, type RunRow, type StoredOperation } from './runs.ts';

export interface RebuiltRun {
  runId: string;
  status: RunRow['status'];
  /** Operations the journal names, of the run's `ops`. */
  operations: number;
  of: number;
}

export interface RepairResult {
  /** Journals looked at. */
  journals: number;
  rebuilt: RebuiltRun[];
}

const runIdPattern = /^\d{8}T\d{6}Z-[0-9a-f]{6}(-\d+)?$/;

/** Rebuilds every run that has a journal in the space and no row in the database. */
export function repairRuns(db: Db, config: Config): RepairResult {
  const folder = path.join(config.space, config.layout.journal);
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter((name) => runIdPattern.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { journals: 0, rebuilt: [] };
    throw error;
  }
  const known = db.prepare('SELECT 1 FROM ApplyRun WHERE id = ?').pluck();
  const rebuilt: RebuiltRun[] = [];
  let journals = 0;
  for (const runId of names) {
    const file = journalFile(config, runId);
    if (!fs.existsSync(file)) continue;
    journals += 1;
    if (known.get(runId)) continue;
    const run = rebuildRun(db, runId, file, readJournal(file).records);
    if (run) rebuilt.push(run);
  }
  return { journals, rebuilt };
}

type Described = { id: string; step: StepDescription };

/** Every operation the journal describes, in order, by its latest description. */
function describedSteps(records: JournalRecord[]): Described[] {
  const steps = new Map<string, StepDescription>();
  for (const record of records) {
    if (record.t === 'intent') steps.set(record.id, record);
    else if ((record.t === 'done' || record.t === 'skip') && record.step && !steps.has(record.id)) steps.set(record.id, record.step);
  }
  return [...steps.entries()].map(([id, step]) => ({ id, step })).sort((a, b) => a.step.seq - b.step.seq);
}

function statusOf(state: OperationState | undefined): StoredOperation['status'] {
  if (state?.undone) return 'rolled-back';
  switch (state?.outcome?.t) {
    case 'done':
      return 'done';
    case 'skip':
      return 'skipped';
    case 'fail':
      return 'failed';
    default:
      return 'started';
  }
}

/** The run's state as its journal ends: rolled back, finished, or stopped before its end. */
function runStatus(records: JournalRecord[]): { status: RunRow['status']; endedAt: string | null } {
  const end = records.findLast((record) => record.t === 'end' || record.t === 'rollback-end' || record.t === 'undo-intent');
  if (end?.t === 'rollback-end') return { status: end.status === 'rolled-back' ? 'rolled-back' : 'rolling-back', endedAt: end.at };
  if (end?.t === 'undo-intent') return { status: 'rolling-back', endedAt: null };
  if (end?.t === 'end') {
    const ended = end.status === 'succeeded' || end.status === 'finished-with-failures' ? end.status : 'failed';
    return { status: ended, endedAt: end.at };
  }
  return { status: 'failed', endedAt: null };
}

function rebuildRun(db: Db, runId: string, file: string, records: JournalRecord[]): RebuiltRun | null {
  const begin = records.find((record): record is Extract<JournalRecord, { t: 'begin' }> => record.t === 'begin');
  if (!begin) return null;
  const steps = describedSteps(records);
  const states = operationStates(records);
  const { status, endedAt } = runStatus(records);
  const complete = steps.length === begin.ops;
  const rows = steps.map(({ id, step }) => ({ id, step, status: statusOf(states.get(id)), state: states.get(id) }));
  const count = (wanted: StoredOperation['status']) => rows.filter((row) => row.status === wanted).length;
  const note = complete
    ? 'rebuilt from its journal (the database had lost it)'
    : `rebuilt from its journal (the database had lost it): ${steps.length} of ${begin.ops} operations reached the journal; the others never ran and their decisions stay approved`;
  const insertOperation = db.prepare(
    `INSERT INTO Operation (runId, id, seq, decisionKey, findingId, op, fromPath, fromRaw, toPath, toRaw, expectSize, expectMtimeNs, expectHash,
       keeperPath, keeperRaw, keeperSize, keeperMtimeNs, keeperHash, status, reason, resultHash, notPreservedJson)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    db.prepare(
      `INSERT INTO ApplyRun (id, opsHash, status, createdBy, createdAt, startedAt, finishedAt, journalPath, decisionKeysJson, opCount,
         doneCount, skippedCount, failedCount, bytesTotal, bytesDone, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId,
      begin.opsHash ?? `rebuilt:${runId}`,
      status,
      begin.createdBy ?? begin.by,
      begin.createdAt ?? begin.at,
      begin.at,
      endedAt,
      file,
      JSON.stringify([...new Set(steps.map(({ step }) => step.decisionKey ?? ''))]),
      begin.ops,
      count('done'),
      count('skipped'),
      count('failed'),
      rows.reduce((sum, row) => sum + (row.step.op === 'copy' ? (row.step.expect?.size ?? 0) : 0), 0),
      rows.reduce((sum, row) => sum + (row.step.op === 'copy' && row.status === 'done' ? (row.step.expect?.size ?? 0) : 0), 0),
      note,
    );
    for (const { id, step, status: opStatus, state } of rows) {
      const from = step.from ? fromJournalPath(step.from) : null;
      const to = fromJournalPath(step.to);
      const keeper = step.keeper ? fromJournalPath(step.keeper.path) : null;
      const outcome = state?.outcome;
      insertOperation.run(
        runId,
        id,
        step.seq,
        step.decisionKey ?? '',
        step.findingId ?? '',
        step.op,
        from ? displayPath(from) : null,
        from,
        displayPath(to),
        to,
        step.expect ? BigInt(step.expect.size) : null,
        step.expect ? BigInt(step.expect.mtimeNs) : null,
        step.expect?.hash ?? null,
        keeper ? displayPath(keeper) : null,
        keeper,
        step.keeper ? BigInt(step.keeper.size) : null,
        step.keeper ? BigInt(step.keeper.mtimeNs) : null,
        step.keeper?.hash ?? null,
        opStatus,
        outcome?.t === 'skip' ? outcome.reason : outcome?.t === 'fail' ? outcome.code : null,
        outcome?.t === 'done' ? (outcome.hash ?? null) : null,
        JSON.stringify(outcome?.t === 'done' ? outcome.notPreserved : []),
      );
    }
    // Only a run the journal shows whole and finished carried out its decisions.
    if (complete && (status === 'succeeded' || status === 'finished-with-failures')) {
      db.prepare(
        `UPDATE Decision SET appliedRunId = ? WHERE appliedRunId IS NULL AND decisionKey IN (
           SELECT decisionKey FROM Operation WHERE runId = ? GROUP BY decisionKey HAVING SUM(status != 'done') = 0)`,
      ).run(runId, runId);
    }
  })();
  return { runId, status, operations: steps.length, of: begin.ops };
}
