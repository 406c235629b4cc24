/**
 * From approved decisions to the operations of an apply run: the proposals' planned operations,
 * validated and put in a deterministic order (runs.ts stores them, `{run}` resolved).
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { UserError, type Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { displayPath, isInside, rawPath } from './paths.ts';

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
  /** The kept copy a displacing step relies on (plans before reconcile-plan/2 name none). */
  keeper: z
    .object({ path: z.string().min(1), pathB64: z.string().optional(), size: integerLike, mtimeNs: integerLike, hash: z.string().nullable() })
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
  keeper: KeeperCheck | null;
}

/** What the kept copy must still be when a displacing step acts. */
export interface KeeperCheck {
  path: Buffer;
  size: bigint;
  mtimeNs: bigint;
  hash: string | null;
}

interface ApprovedRow {
  decisionKey: string;
  findingId: string;
  proposalId: string;
  operationsJson: string;
}

/** Proposals read at once: a page of approved work, not all of it (200k proposals held took 350 MB). */
const proposalsPerPage = 256;

/**
 * Approved decisions not yet carried out, with their operations (the reviewer's choice where it
 * departs from the proposal, else the proposal's), in a stable order, a page at a time. A decision
 * with a failed step in a run that finished with failures belongs to that run until it is retried
 * or rolled back: queued again in a new run, its steps done already would be found missing there.
 */
function forEachApprovedProposal(db: Db, each: (row: ApprovedRow) => void): void {
  // Decisions walked in key order on their unique index (CROSS JOIN keeps Decision outermost, `+`
  // keeps the verdict index out), so each page starts where the last ended instead of sorting
  // every approved proposal again.
  const page = db.prepare<[{ decisionKey: string; proposalId: string; limit: number }], ApprovedRow>(
    `SELECT d.decisionKey, d.findingId, p.id AS proposalId, COALESCE(d.operationsJson, p.operationsJson) AS operationsJson
     FROM Decision d CROSS JOIN Proposal p ON p.decisionKey = d.decisionKey
     WHERE +d.verdict = 'approved' AND d.appliedRunId IS NULL
       AND d.decisionKey NOT IN (
         SELECT o.decisionKey FROM Operation o JOIN ApplyRun r ON r.id = o.runId
         WHERE o.status = 'failed' AND r.status = 'finished-with-failures')
       AND d.decisionKey >= @decisionKey AND (d.decisionKey > @decisionKey OR p.id > @proposalId)
     ORDER BY d.decisionKey, p.id
     LIMIT @limit`,
  );
  for (let after = { decisionKey: '', proposalId: '' }; ; ) {
    const rows = page.all({ decisionKey: after.decisionKey, proposalId: after.proposalId, limit: proposalsPerPage });
    rows.forEach(each);
    if (rows.length < proposalsPerPage) return;
    after = rows.at(-1)!;
  }
}

/** Absolute, without `.`, `..` or empty components: where the text says, so `isInside` holds for the real path. */
function plainPath(raw: Buffer): boolean {
  const parts = raw.toString('latin1').split('/');
  return parts[0] === '' && parts.slice(1).every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * Calls `each` with the operations approved decisions call for, `{run}` still unresolved, in
 * order: read a page of proposals at a time, so the work is streamed, not held. A step two
 * proposals share is done once; which ids were seen is kept in a temporary table, not in memory.
 */
export function forEachApprovedOperation(db: Db, config: Config, each: (op: PendingOperation) => void): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS approvedStep (id TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.approvedStep`);
  const firstSight = db.prepare<[string]>(`INSERT OR IGNORE INTO temp.approvedStep (id) VALUES (?)`);
  let seq = 0;
  try {
    forEachApprovedProposal(db, (row) => {
      for (const planned of plannedOperations(row)) {
        if (firstSight.run(planned.id).changes === 0) continue; // two proposals sharing one step: do it once
        each(pendingOperation(planned, row, seq++, config));
      }
    });
  } finally {
    db.exec(`DROP TABLE IF EXISTS temp.approvedStep`);
  }
}

function plannedOperations(row: ApprovedRow): PlannedOperation[] {
  let list: unknown;
  try {
    list = JSON.parse(row.operationsJson);
  } catch {
    throw new UserError(`proposal ${row.proposalId}: operationsJson is not valid JSON`);
  }
  const parsed = z.array(plannedOperationSchema).safeParse(list);
  if (!parsed.success) throw new UserError(`proposal ${row.proposalId}: bad operation: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function pendingOperation(planned: PlannedOperation, row: ApprovedRow, seq: number, config: Config): PendingOperation {
  const from = planned.from ? rawPath(planned.from, planned.fromB64) : null;
  const to = rawPath(planned.to, planned.toB64);
  const keeper = planned.keeper ? { ...planned.keeper, path: rawPath(planned.keeper.path, planned.keeper.pathB64) } : null;
  if (planned.op !== 'mkdir' && !from) throw new UserError(`operation ${planned.id}: ${planned.op} needs a source`);
  for (const target of [from, to, keeper?.path ?? null]) {
    if (target && !plainPath(target)) throw new UserError(`operation ${planned.id}: ${displayPath(target)} is not a plain absolute path (., .. or // in it)`);
    if (target && !isInside(target, config.space)) {
      throw new UserError(`operation ${planned.id}: ${displayPath(target)} is outside the space ${config.space}`);
    }
  }
  return {
    id: planned.id,
    seq,
    decisionKey: row.decisionKey,
    findingId: row.findingId,
    op: planned.op,
    from,
    to,
    expectSize: planned.expect?.size ?? null,
    expectMtimeNs: planned.expect?.mtimeNs ?? null,
    expectHash: planned.expect?.hash ?? null,
    keeper,
  };
}

/** The operations approved decisions call for, with `{run}` still unresolved, all at once (a preview; apply streams them). */
export function approvedOperations(db: Db, config: Config): PendingOperation[] {
  const operations: PendingOperation[] = [];
  forEachApprovedOperation(db, config, (op) => operations.push(op));
  return operations;
}

/** What names a run's work: the hash of its operations in order (a run of the same work is the same run), their count and bytes to copy. */
export interface WorkSummary {
  opsHash: string;
  count: number;
  bytesTotal: bigint;
}

/** Sums up operations one at a time, as they stream by. */
export class WorkDigest {
  private readonly digest = crypto.createHash('sha256');
  private count = 0;
  private bytesTotal = 0n;

  add(op: PendingOperation): void {
    const fields: unknown[] = [op.id, op.op, op.from?.toString('base64') ?? null, op.to.toString('base64'), String(op.expectSize), String(op.expectMtimeNs), op.expectHash];
    if (op.keeper) fields.push(op.keeper.path.toString('base64'), String(op.keeper.size), String(op.keeper.mtimeNs), op.keeper.hash);
    this.digest.update(JSON.stringify(fields));
    this.digest.update('\n');
    this.count += 1;
    if (op.op === 'copy') this.bytesTotal += op.expectSize ?? 0n;
  }

  summary(): WorkSummary {
    return { opsHash: this.digest.digest('hex'), count: this.count, bytesTotal: this.bytesTotal };
  }
}

/** The approved work summed up, read through once without holding it. */
export function approvedWork(db: Db, config: Config): WorkSummary {
  const digest = new WorkDigest();
  forEachApprovedOperation(db, config, (op) => digest.add(op));
  return digest.summary();
}
