/**
 * The run model: ApplyRun and its Operation rows, the queries on them, and the mirror through
 * which the journal's outcomes reach the database. The journal is the record; these rows are
 * its queryable copy (resume re-derives them from the journal where they lag behind).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, type Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { displayPath, substituteRun } from './paths.ts';
import { WorkDigest, forEachApprovedOperation, type PendingOperation, type PlannedOperation, type WorkSummary } from './prepare.ts';

export interface RunRow {
  id: string;
  jobId: number | null;
  opsHash: string;
  /**
   * `failed`: stopped before its end by a condition every step would hit (a full or read-only
   * disk); resumed first. `finished-with-failures`: ran to its end, some steps failed on their own
   * files; those wait for a retry (reconcile apply --retry) and block nothing else.
   */
  status: 'queued' | 'running' | 'succeeded' | 'finished-with-failures' | 'failed' | 'rolling-back' | 'rolled-back';
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  journalPath: string;
  decisionKeysJson: string;
  opCount: number;
  doneCount: number;
  skippedCount: number;
  failedCount: number;
  bytesTotal: number;
  bytesDone: number;
  error: string | null;
  verifyJson: string | null;
  rolledBackAt: string | null;
  rollbackJson: string | null;
}

export interface StoredOperation extends PendingOperation {
  runId: string;
  status: 'pending' | 'started' | 'done' | 'skipped' | 'failed' | 'rolled-back';
  reason: string | null;
  resultHash: string | null;
}

const now = (): string => new Date().toISOString();

export function newRunId(opsHash: string, at = new Date()): string {
  return `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${opsHash.slice(0, 6)}`;
}

export function journalFile(config: Config, runId: string): string {
  return path.join(config.space, config.layout.journal, runId, 'journal.jsonl');
}

export function getRun(db: Db, id: string): RunRow | undefined {
  return db.prepare('SELECT * FROM ApplyRun WHERE id = ?').get(id) as RunRow | undefined;
}

/** A run by id, or `latest`; a clear error when there is none. */
export function resolveRun(db: Db, ref: string | undefined): RunRow {
  const run =
    ref === undefined || ref === 'latest'
      ? (db.prepare('SELECT * FROM ApplyRun ORDER BY createdAt DESC, id DESC LIMIT 1').get() as RunRow | undefined)
      : getRun(db, ref);
  if (!run) throw new UserError(ref && ref !== 'latest' ? `no apply run ${ref}` : 'no apply run yet');
  return run;
}

export function listRuns(db: Db, limit = 50): RunRow[] {
  return db.prepare('SELECT * FROM ApplyRun ORDER BY createdAt DESC, id DESC LIMIT ?').all(limit) as RunRow[];
}

/**
 * Runs that were started but not finished (crashed, stopped by a full disk, waiting in the queue);
 * a run that finished with failed steps is not one of them.
 */
export function unfinishedRun(db: Db): RunRow | undefined {
  return db
    .prepare(`SELECT * FROM ApplyRun WHERE status IN ('queued', 'running', 'failed') ORDER BY createdAt, id LIMIT 1`)
    .get() as RunRow | undefined;
}

/**
 * Runs `work` (a transaction) committed with synchronous = FULL: a new run's rows are durable
 * before its journal begins, while the database otherwise runs with synchronous = NORMAL, where
 * a power loss may drop the latest commits (`reconcile repair` rebuilds a run from its journal
 * all the same). SQLite cannot change the setting inside a transaction, hence the wrapper.
 */
export function durably<T>(db: Db, work: () => T): T {
  const synchronous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = FULL');
  try {
    return work();
  } finally {
    db.pragma(`synchronous = ${synchronous}`);
  }
}

/**
 * A run id not taken yet: the same work queued twice in one second (an apply, its rollback and the
 * apply again) gets `-2`, `-3`, ... A journal folder without a row (a run the database lost and
 * repair has not rebuilt) keeps its id too.
 */
function freeRunId(db: Db, config: Config, opsHash: string, at: Date): string {
  const base = newRunId(opsHash, at);
  const taken = db.prepare('SELECT 1 FROM ApplyRun WHERE id = ?').pluck();
  for (let suffix = 1; ; suffix++) {
    const id = suffix === 1 ? base : `${base}-${suffix}`;
    if (!taken.get(id) && !fs.existsSync(path.dirname(journalFile(config, id)))) return id;
  }
}

/**
 * Stores a new run of the approved work (`work`: approvedWork, which named it) and its operations,
 * `{run}` resolved, streamed from the approved decisions in one transaction; callers commit it
 * `durably` (enqueueApply does, in one IMMEDIATE transaction with the checks that precede it).
 */
export function createRun(db: Db, config: Config, work: WorkSummary, createdBy: string, at = new Date()): RunRow {
  const id = freeRunId(db, config, work.opsHash, at);
  const insertOperation = db.prepare(
    `INSERT INTO Operation (runId, id, seq, decisionKey, findingId, op, fromPath, fromRaw, toPath, toRaw, expectSize, expectMtimeNs, expectHash,
       keeperPath, keeperRaw, keeperSize, keeperMtimeNs, keeperHash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    db.prepare(
      `INSERT INTO ApplyRun (id, opsHash, status, createdBy, createdAt, journalPath, opCount, bytesTotal)
       VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)`,
    ).run(id, work.opsHash, createdBy, now(), journalFile(config, id), work.count, work.bytesTotal);
    const stored = new WorkDigest();
    forEachApprovedOperation(db, config, (op) => {
      stored.add(op);
      const from = op.from ? substituteRun(op.from, id) : null;
      const to = substituteRun(op.to, id);
      insertOperation.run(
        id,
        op.id,
        op.seq,
        op.decisionKey,
        op.findingId,
        op.op,
        from ? displayPath(from) : null,
        from,
        displayPath(to),
        to,
        op.expectSize,
        op.expectMtimeNs,
        op.expectHash,
        op.keeper ? displayPath(op.keeper.path) : null,
        op.keeper?.path ?? null,
        op.keeper?.size ?? null,
        op.keeper?.mtimeNs ?? null,
        op.keeper?.hash ?? null,
      );
    });
    // The work is read twice (to name the run, then to store it): what is stored must be what was named.
    if (stored.summary().opsHash !== work.opsHash) throw new Error('the approved work changed while it was being queued; apply again');
    // The decisions in the order of their first step, assembled by SQLite rather than in memory.
    db.prepare(
      `UPDATE ApplyRun SET decisionKeysJson = (
         SELECT json_group_array(decisionKey ORDER BY first) FROM (SELECT decisionKey, MIN(seq) AS first FROM Operation WHERE runId = @id GROUP BY decisionKey))
       WHERE id = @id`,
    ).run({ id });
  })();
  return getRun(db, id)!;
}

/** An Operation row as SQLite returns it with safe integers: paths as raw bytes, integers exact. */
interface OperationRow {
  id: string;
  seq: bigint;
  decisionKey: string;
  findingId: string;
  op: PlannedOperation['op'];
  fromRaw: Buffer | null;
  toRaw: Buffer;
  expectSize: bigint | null;
  expectMtimeNs: bigint | null;
  expectHash: string | null;
  keeperRaw: Buffer | null;
  keeperSize: bigint | null;
  keeperMtimeNs: bigint | null;
  keeperHash: string | null;
  status: StoredOperation['status'];
  reason: string | null;
  resultHash: string | null;
}

const operationColumns = `id, seq, decisionKey, findingId, op, fromRaw, toRaw, expectSize, expectMtimeNs, expectHash,
  keeperRaw, keeperSize, keeperMtimeNs, keeperHash, status, reason, resultHash`;

function storedOperation(runId: string, row: OperationRow): StoredOperation {
  return {
    runId,
    id: row.id,
    seq: Number(row.seq),
    decisionKey: row.decisionKey,
    findingId: row.findingId,
    op: row.op,
    from: row.fromRaw,
    to: row.toRaw,
    expectSize: row.expectSize,
    expectMtimeNs: row.expectMtimeNs,
    expectHash: row.expectHash,
    keeper: row.keeperRaw ? { path: row.keeperRaw, size: row.keeperSize!, mtimeNs: row.keeperMtimeNs!, hash: row.keeperHash } : null,
    status: row.status,
    reason: row.reason,
    resultHash: row.resultHash,
  };
}

/** Operation rows of a run in order, paths as raw bytes, integers exact (all at once: apply pages them, see OperationCursor). */
export function runOperations(db: Db, runId: string): StoredOperation[] {
  const rows = db
    .prepare<[string], OperationRow>(`SELECT ${operationColumns} FROM Operation WHERE runId = ? ORDER BY seq`)
    .safeIntegers(true)
    .all(runId);
  return rows.map((row) => storedOperation(runId, row));
}

/**
 * A run's operations in order, read a page at a time by seq: apply holds a page and the batch it
 * works on, not the run's millions of rows (100k rows held at once took 340 MB).
 */
export class OperationCursor {
  private page: StoredOperation[] = [];
  private index = 0;
  private lastSeq = -1n;
  private exhausted = false;
  private readonly select;

  constructor(
    db: Db,
    private readonly runId: string,
    private readonly pageSize = 1024,
  ) {
    this.select = db
      .prepare<[string, bigint, number], OperationRow>(`SELECT ${operationColumns} FROM Operation WHERE runId = ? AND seq > ? ORDER BY seq LIMIT ?`)
      .safeIntegers(true);
  }

  /** The next operation, not taken. */
  peek(): StoredOperation | undefined {
    if (this.index >= this.page.length && !this.exhausted) this.load();
    return this.page[this.index];
  }

  next(): StoredOperation | undefined {
    const op = this.peek();
    if (op) this.index += 1;
    return op;
  }

  private load(): void {
    const rows = this.select.all(this.runId, this.lastSeq, this.pageSize);
    this.exhausted = rows.length < this.pageSize;
    this.page = rows.map((row) => storedOperation(this.runId, row));
    this.index = 0;
    if (rows.length > 0) this.lastSeq = rows.at(-1)!.seq;
  }
}

/** The latest run that finished with failed steps (what `apply --retry` redoes by default). */
export function runWithFailures(db: Db): RunRow | undefined {
  return db.prepare(`SELECT * FROM ApplyRun WHERE status = 'finished-with-failures' ORDER BY createdAt DESC, id DESC LIMIT 1`).get() as RunRow | undefined;
}

/** Puts a run's failed steps back to pending and the run back in the queue, for a retry. */
export function reopenFailedSteps(db: Db, runId: string): void {
  db.transaction(() => {
    db.prepare(`UPDATE Operation SET status = 'pending', reason = NULL, finishedAt = NULL WHERE runId = ? AND status = 'failed'`).run(runId);
    db.prepare(`UPDATE ApplyRun SET status = 'queued', finishedAt = NULL, error = NULL WHERE id = ?`).run(runId);
  })();
}

/** Marks the run as running (again), keeping its first start time. */
export function markRunStarted(db: Db, runId: string): void {
  db.prepare(`UPDATE ApplyRun SET status = 'running', startedAt = COALESCE(startedAt, ?), error = NULL WHERE id = ?`).run(now(), runId);
}

export function recordRunError(db: Db, runId: string, message: string): void {
  db.prepare(`UPDATE ApplyRun SET error = ? WHERE id = ?`).run(message, runId);
}

/** The database side of operation outcomes: one prepared statement, updates grouped by the caller. */
export class OperationMirror {
  private readonly mark;

  constructor(
    private readonly db: Db,
    private readonly runId: string,
  ) {
    this.mark = db.prepare(
      `UPDATE Operation SET status = ?, reason = ?, resultHash = COALESCE(?, resultHash), notPreservedJson = ?,
         startedAt = COALESCE(startedAt, ?), finishedAt = ? WHERE runId = ? AND id = ?`,
    );
  }

  set(op: StoredOperation, status: StoredOperation['status'], extra: { reason?: string; hash?: string; notPreserved?: string[] } = {}): void {
    const at = now();
    this.mark.run(status, extra.reason ?? null, extra.hash ?? null, JSON.stringify(extra.notPreserved ?? []), at, status === 'started' ? null : at, this.runId, op.id);
    op.status = status;
  }

  /** Runs `update` in one transaction (a batch's outcomes reach the database together). */
  together(update: () => void): void {
    this.db.transaction(update)();
  }
}

export interface RunCounts {
  total: number;
  done: number;
  skipped: number;
  failed: number;
  bytesDone: number;
}

/** Outcome counts of a run's operations. */
export function runCounts(db: Db, runId: string): RunCounts {
  const counts = db
    .prepare(
      `SELECT SUM(status = 'done') AS done, SUM(status = 'skipped') AS skipped, SUM(status = 'failed') AS failed,
         SUM(CASE WHEN status = 'done' AND op = 'copy' THEN COALESCE(expectSize, 0) ELSE 0 END) AS bytesDone, COUNT(*) AS total
       FROM Operation WHERE runId = ?`,
    )
    .get(runId) as { done: number | null; skipped: number | null; failed: number | null; bytesDone: number | null; total: number };
  return { total: counts.total, done: counts.done ?? 0, skipped: counts.skipped ?? 0, failed: counts.failed ?? 0, bytesDone: counts.bytesDone ?? 0 };
}

export type RunEnd = 'succeeded' | 'finished-with-failures' | 'failed';

/** Records a run's end; a run that reached its end marks the decisions whose steps are all done as carried out. */
export function markRunFinished(db: Db, runId: string, status: RunEnd, counts: RunCounts): void {
  db.transaction(() => {
    db.prepare(
      `UPDATE ApplyRun SET status = ?, doneCount = ?, skippedCount = ?, failedCount = ?, bytesDone = ?, finishedAt = ? WHERE id = ?`,
    ).run(status, counts.done, counts.skipped, counts.failed, counts.bytesDone, now(), runId);
    if (status !== 'failed') {
      // A decision is carried out when every one of its steps is done.
      db.prepare(
        `UPDATE Decision SET appliedRunId = ? WHERE appliedRunId IS NULL AND decisionKey IN (
           SELECT decisionKey FROM Operation WHERE runId = ? GROUP BY decisionKey HAVING SUM(status != 'done') = 0)`,
      ).run(runId, runId);
    }
  })();
}

/** Steps that were skipped or failed, and metadata copies could not keep, for the summary. */
export function runFlags(db: Db, runId: string): { flagged: { id: string; path: string; reason: string }[]; notPreserved: { id: string; path: string; what: string[] }[] } {
  const flagged = db
    .prepare(`SELECT id, toPath, fromPath, reason FROM Operation WHERE runId = ? AND status IN ('skipped', 'failed') ORDER BY seq`)
    .all(runId) as { id: string; toPath: string; fromPath: string | null; reason: string }[];
  const notPreserved = db
    .prepare(`SELECT id, toPath, notPreservedJson FROM Operation WHERE runId = ? AND notPreservedJson != '[]' ORDER BY seq`)
    .all(runId) as { id: string; toPath: string; notPreservedJson: string }[];
  return {
    flagged: flagged.map((row) => ({ id: row.id, path: row.fromPath ?? row.toPath, reason: row.reason })),
    notPreserved: notPreserved.map((row) => ({ id: row.id, path: row.toPath, what: JSON.parse(row.notPreservedJson) as string[] })),
  };
}
