/**
 * From approved decisions to an apply run: the proposals' planned operations, validated, put in
 * a deterministic order, with `{run}` replaced by the run id, stored as Operation rows.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { UserError, type Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { displayPath, isInside, rawPath, substituteRun } from './paths.ts';

const integerLike = z.union([z.number().int(), z.string().regex(/^-?\d+$/), z.bigint()]).transform((value) => BigInt(value));

/** One operation as the plan writes it into Proposal.operationsJson. */
export const plannedOperationSchema = z.object({
  id: z.string().min(1),
  op: z.enum(['move', 'copy', 'mkdir']),
  from: z.string().min(1).optional(),
  to: z.string().min(1),
  fromB64: z.string().optional(),
  toB64: z.string().optional(),
  expect: z
    .object({ size: integerLike, mtimeNs: integerLike, hash: z.string().nullable().optional() })
    .optional(),
});

export type PlannedOperation = z.infer<typeof plannedOperationSchema>;

export interface PendingOperation {
  id: string;
  seq: number;
  decisionKey: string;
  findingId: string;
  op: PlannedOperation['op'];
  from: Buffer | null;
  to: Buffer;
  expectSize: bigint | null;
  expectMtimeNs: bigint | null;
  expectHash: string | null;
}

interface ApprovedRow {
  decisionKey: string;
  findingId: string;
  proposalId: string;
  operationsJson: string;
}

/**
 * Approved decisions not yet carried out, with their operations (the reviewer's choice where it
 * departs from the proposal, else the proposal's), in a stable order.
 */
function approvedProposals(db: Db): ApprovedRow[] {
  return db
    .prepare(
      `SELECT d.decisionKey, d.findingId, p.id AS proposalId, COALESCE(d.operationsJson, p.operationsJson) AS operationsJson
       FROM Decision d JOIN Proposal p ON p.decisionKey = d.decisionKey
       WHERE d.verdict = 'approved' AND d.appliedRunId IS NULL
       ORDER BY d.decisionKey, p.id`,
    )
    .all() as ApprovedRow[];
}

/** The operations approved decisions call for, with `{run}` still unresolved. */
export function approvedOperations(db: Db, config: Config): PendingOperation[] {
  const seen = new Set<string>();
  const operations: PendingOperation[] = [];
  for (const row of approvedProposals(db)) {
    let list: unknown;
    try {
      list = JSON.parse(row.operationsJson);
    } catch {
      throw new UserError(`proposal ${row.proposalId}: operationsJson is not valid JSON`);
    }
    const parsed = z.array(plannedOperationSchema).safeParse(list);
    if (!parsed.success) throw new UserError(`proposal ${row.proposalId}: bad operation: ${parsed.error.issues[0]?.message}`);
    for (const planned of parsed.data) {
      if (seen.has(planned.id)) continue; // two proposals sharing one step: do it once
      seen.add(planned.id);
      const from = planned.from ? rawPath(planned.from, planned.fromB64) : null;
      const to = rawPath(planned.to, planned.toB64);
      if (planned.op !== 'mkdir' && !from) throw new UserError(`operation ${planned.id}: ${planned.op} needs a source`);
      for (const target of [from, to]) {
        if (target && !isInside(target, config.space)) {
          throw new UserError(`operation ${planned.id}: ${displayPath(target)} is outside the space ${config.space}`);
        }
      }
      operations.push({
        id: planned.id,
        seq: operations.length,
        decisionKey: row.decisionKey,
        findingId: row.findingId,
        op: planned.op,
        from,
        to,
        expectSize: planned.expect?.size ?? null,
        expectMtimeNs: planned.expect?.mtimeNs ?? null,
        expectHash: planned.expect?.hash ?? null,
      });
    }
  }
  return operations;
}

export function operationsHash(operations: PendingOperation[]): string {
  const digest = crypto.createHash('sha256');
  for (const op of operations) {
    digest.update(
      JSON.stringify([op.id, op.op, op.from?.toString('base64') ?? null, op.to.toString('base64'), String(op.expectSize), String(op.expectMtimeNs), op.expectHash]),
    );
    digest.update('\n');
  }
  return digest.digest('hex');
}

export function newRunId(opsHash: string, at = new Date()): string {
  return `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${opsHash.slice(0, 6)}`;
}

export function journalFile(config: Config, runId: string): string {
  return path.join(config.space, config.layout.journal, runId, 'journal.jsonl');
}

export interface RunRow {
  id: string;
  jobId: number | null;
  opsHash: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'rolling-back' | 'rolled-back';
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

/** Runs that were started but not finished (crashed, failed on a full disk, waiting in the queue). */
export function unfinishedRun(db: Db): RunRow | undefined {
  return db
    .prepare(`SELECT * FROM ApplyRun WHERE status IN ('queued', 'running', 'failed') ORDER BY createdAt, id LIMIT 1`)
    .get() as RunRow | undefined;
}

/** Stores a new run and its operations (with `{run}` resolved) in one transaction. */
export function createRun(db: Db, config: Config, operations: PendingOperation[], createdBy: string): RunRow {
  const opsHash = operationsHash(operations);
  const id = newRunId(opsHash);
  const insertOperation = db.prepare(
    `INSERT INTO Operation (runId, id, seq, decisionKey, findingId, op, fromPath, fromRaw, toPath, toRaw, expectSize, expectMtimeNs, expectHash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    const bytesTotal = operations.reduce((sum, op) => sum + (op.op === 'copy' ? (op.expectSize ?? 0n) : 0n), 0n);
    db.prepare(
      `INSERT INTO ApplyRun (id, opsHash, status, createdBy, createdAt, journalPath, decisionKeysJson, opCount, bytesTotal)
       VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      opsHash,
      createdBy,
      new Date().toISOString(),
      journalFile(config, id),
      JSON.stringify([...new Set(operations.map((op) => op.decisionKey))]),
      operations.length,
      bytesTotal,
    );
    for (const op of operations) {
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
      );
    }
  })();
  return getRun(db, id)!;
}

/** Operation rows of a run in order, paths as raw bytes, integers exact. */
export function runOperations(db: Db, runId: string): StoredOperation[] {
  const rows = db.prepare('SELECT * FROM Operation WHERE runId = ? ORDER BY seq').safeIntegers(true).all(runId) as Record<string, unknown>[];
  return rows.map((row) => ({
    runId,
    id: row.id as string,
    seq: Number(row.seq),
    decisionKey: row.decisionKey as string,
    findingId: row.findingId as string,
    op: row.op as PlannedOperation['op'],
    from: (row.fromRaw as Buffer | null) ?? null,
    to: row.toRaw as Buffer,
    expectSize: row.expectSize as bigint | null,
    expectMtimeNs: row.expectMtimeNs as bigint | null,
    expectHash: row.expectHash as string | null,
    status: row.status as StoredOperation['status'],
    reason: row.reason as string | null,
    resultHash: row.resultHash as string | null,
  }));
}

export interface StoredOperation extends PendingOperation {
  runId: string;
  status: 'pending' | 'started' | 'done' | 'skipped' | 'failed' | 'rolled-back';
  reason: string | null;
  resultHash: string | null;
}
