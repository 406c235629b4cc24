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

/**
 * Approved decisions not yet carried out, with their operations (the reviewer's choice where it
 * departs from the proposal, else the proposal's), in a stable order. A decision with a failed
 * step in a run that finished with failures belongs to that run until it is retried or rolled
 * back: queued again in a new run, its steps done already would be found missing there.
 */
function approvedProposals(db: Db): ApprovedRow[] {
  return db
    .prepare(
      `SELECT d.decisionKey, d.findingId, p.id AS proposalId, COALESCE(d.operationsJson, p.operationsJson) AS operationsJson
       FROM Decision d JOIN Proposal p ON p.decisionKey = d.decisionKey
       WHERE d.verdict = 'approved' AND d.appliedRunId IS NULL
         AND d.decisionKey NOT IN (
           SELECT o.decisionKey FROM Operation o JOIN ApplyRun r ON r.id = o.runId
           WHERE o.status = 'failed' AND r.status = 'finished-with-failures')
       ORDER BY d.decisionKey, p.id`,
    )
    .all() as ApprovedRow[];
}

/** Absolute, without `.`, `..` or empty components: where the text says, so `isInside` holds for the real path. */
function plainPath(raw: Buffer): boolean {
  const parts = raw.toString('latin1').split('/');
  return parts[0] === '' && parts.slice(1).every((part) => part !== '' && part !== '.' && part !== '..');
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
      const keeper = planned.keeper ? { ...planned.keeper, path: rawPath(planned.keeper.path, planned.keeper.pathB64) } : null;
      if (planned.op !== 'mkdir' && !from) throw new UserError(`operation ${planned.id}: ${planned.op} needs a source`);
      for (const target of [from, to, keeper?.path ?? null]) {
        if (target && !plainPath(target)) throw new UserError(`operation ${planned.id}: ${displayPath(target)} is not a plain absolute path (., .. or // in it)`);
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
        keeper,
      });
    }
  }
  return operations;
}

export function operationsHash(operations: PendingOperation[]): string {
  const digest = crypto.createHash('sha256');
  for (const op of operations) {
    const fields: unknown[] = [op.id, op.op, op.from?.toString('base64') ?? null, op.to.toString('base64'), String(op.expectSize), String(op.expectMtimeNs), op.expectHash];
    if (op.keeper) fields.push(op.keeper.path.toString('base64'), String(op.keeper.size), String(op.keeper.mtimeNs), op.keeper.hash);
    digest.update(JSON.stringify(fields));
    digest.update('\n');
  }
  return digest.digest('hex');
}
