/**
 * The durable job queue on the Job table. Enqueueing is idempotent by key; a worker leases a job,
 * heartbeats while it runs, and another worker takes it over once the lease expires, or at once
 * when the lease holder is a process on this host that no longer exists (SIGKILL, OOM, reboot).
 */
import os from 'node:os';
import crypto from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/index.ts';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobProgress {
  phase: string;
  done: number;
  total: number;
  bytesDone?: number;
  bytesTotal?: number;
  message?: string;
}

export interface JobRow {
  id: number;
  kind: string;
  status: JobStatus;
  idempotencyKey: string;
  payloadJson: string;
  progressJson: string | null;
  resultJson: string | null;
  error: string | null;
  attempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  heartbeatAt: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const defaultLeaseMs = 30_000;

const now = (): string => new Date().toISOString();
const later = (ms: number): string => new Date(Date.now() + ms).toISOString();

/** A lease owner name that says which process holds the lease: `host:pid:nonce`. */
export function workerIdentity(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
}

/** True when the owner runs on this host and its process is gone: its lease can be taken at once. */
export function ownerIsDead(owner: string | null): boolean {
  if (!owner) return true;
  const [host, pidText] = owner.split(':');
  if (host !== os.hostname()) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Queues a job unless one with the same key exists; returns the job either way. */
export function enqueueJob(
  db: Db,
  job: { kind: string; idempotencyKey: string; payload: unknown; createdBy: string },
): { job: JobRow; created: boolean } {
  const info = db
    .prepare(
      `INSERT INTO Job (kind, status, idempotencyKey, payloadJson, createdBy, createdAt)
       VALUES (?, 'queued', ?, ?, ?, ?) ON CONFLICT (idempotencyKey) DO NOTHING`,
    )
    .run(job.kind, job.idempotencyKey, JSON.stringify(job.payload), job.createdBy, now());
  return { job: jobByKey(db, job.idempotencyKey)!, created: info.changes === 1 };
}

export function getJob(db: Db, id: number): JobRow | undefined {
  return db.prepare('SELECT * FROM Job WHERE id = ?').get(id) as JobRow | undefined;
}

export function jobByKey(db: Db, key: string): JobRow | undefined {
  return db.prepare('SELECT * FROM Job WHERE idempotencyKey = ?').get(key) as JobRow | undefined;
}

/** Puts a finished job back in the queue: a failed apply once the full disk is fixed, a rollback asked for again. */
export function requeueJob(db: Db, id: number): void {
  db.prepare(
    `UPDATE Job SET status = 'queued', error = NULL, leaseOwner = NULL, leaseExpiresAt = NULL, finishedAt = NULL
     WHERE id = ? AND status IN ('failed', 'cancelled', 'succeeded')`,
  ).run(id);
}

function leasable(db: Db, job: JobRow): boolean {
  if (job.status === 'queued') return true;
  if (job.status !== 'running') return false;
  return (job.leaseExpiresAt !== null && job.leaseExpiresAt < now()) || ownerIsDead(job.leaseOwner);
}

/**
 * Leases one job: the given one, or the oldest queued/abandoned job of the given kinds.
 * Returns undefined when there is nothing to take (or the job is held by a live worker).
 */
export function leaseJob(
  db: Db,
  owner: string,
  options: { kinds?: string[]; jobId?: number; leaseMs?: number } = {},
): JobRow | undefined {
  const leaseMs = options.leaseMs ?? defaultLeaseMs;
  const take = db.transaction((): JobRow | undefined => {
    const candidates =
      options.jobId !== undefined
        ? [getJob(db, options.jobId)].filter((job): job is JobRow => job !== undefined)
        : (db
            .prepare(`SELECT * FROM Job WHERE status IN ('queued', 'running') ORDER BY createdAt, id`)
            .all() as JobRow[]).filter((job) => !options.kinds || options.kinds.includes(job.kind));
    const job = candidates.find((candidate) => leasable(db, candidate));
    if (!job) return undefined;
    const at = now();
    db.prepare(
      `UPDATE Job SET status = 'running', leaseOwner = ?, leaseExpiresAt = ?, heartbeatAt = ?,
         attempts = attempts + 1, startedAt = COALESCE(startedAt, ?), error = NULL WHERE id = ?`,
    ).run(owner, later(leaseMs), at, at, job.id);
    return getJob(db, job.id);
  });
  return take.immediate();
}

/** Extends the lease; false when another worker has taken the job over (stop working on it). */
export function heartbeat(db: Db, id: number, owner: string, progress?: JobProgress, leaseMs = defaultLeaseMs): boolean {
  const at = now();
  const info = progress
    ? db
        .prepare(
          `UPDATE Job SET leaseExpiresAt = ?, heartbeatAt = ?, progressJson = ? WHERE id = ? AND leaseOwner = ? AND status = 'running'`,
        )
        .run(later(leaseMs), at, JSON.stringify(progress), id, owner)
    : db
        .prepare(`UPDATE Job SET leaseExpiresAt = ?, heartbeatAt = ? WHERE id = ? AND leaseOwner = ? AND status = 'running'`)
        .run(later(leaseMs), at, id, owner);
  return info.changes === 1;
}

interface LeaseRow {
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  status: string;
}

/** The lease query, prepared once per connection: apply asks it right before every rename. */
const leaseQueries = new WeakMap<Db, Statement<[number], LeaseRow>>();

/** Whether `owner` still holds the job's lease: held, taken by another worker, or lapsed unrenewed. */
export function leaseHeld(db: Db, id: number, owner: string): 'held' | 'taken' | 'lapsed' {
  let select = leaseQueries.get(db);
  if (!select) {
    select = db.prepare<[number], LeaseRow>(`SELECT leaseOwner, leaseExpiresAt, status FROM Job WHERE id = ?`);
    leaseQueries.set(db, select);
  }
  const row = select.get(id);
  if (!row || row.leaseOwner !== owner || row.status !== 'running') return 'taken';
  return row.leaseExpiresAt !== null && row.leaseExpiresAt < now() ? 'lapsed' : 'held';
}

/**
 * Gives a lease taken from a holder that is still at work back to it (the work's own lock said
 * so), with a fresh expiry so its next renewal finds it.
 */
export function handLeaseBack(db: Db, id: number, from: string, to: string, leaseMs = defaultLeaseMs): void {
  db.prepare(`UPDATE Job SET leaseOwner = ?, leaseExpiresAt = ? WHERE id = ? AND leaseOwner = ?`).run(to, later(leaseMs), id, from);
}

export function finishJob(
  db: Db,
  id: number,
  owner: string,
  outcome: { status: 'succeeded' | 'failed'; result?: unknown; error?: string; progress?: JobProgress },
): void {
  db.prepare(
    `UPDATE Job SET status = ?, resultJson = ?, error = ?, finishedAt = ?, leaseOwner = NULL, leaseExpiresAt = NULL,
       progressJson = COALESCE(?, progressJson)
     WHERE id = ? AND leaseOwner = ?`,
  ).run(
    outcome.status,
    outcome.result === undefined ? null : JSON.stringify(outcome.result),
    outcome.error ?? null,
    now(),
    outcome.progress ? JSON.stringify(outcome.progress) : null,
    id,
    owner,
  );
}

export function listJobs(db: Db, options: { kind?: string; limit?: number } = {}): JobRow[] {
  return db
    .prepare(`SELECT * FROM Job WHERE (? IS NULL OR kind = ?) ORDER BY id DESC LIMIT ?`)
    .all(options.kind ?? null, options.kind ?? null, options.limit ?? 50) as JobRow[];
}
