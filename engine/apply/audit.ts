import type { Db } from '../db/index.ts';

/** Records who queued, finished or rolled back an apply run in the audit trail. */
export function auditRun(db: Db, actor: string, action: 'apply.queued' | 'apply.finished' | 'rollback.finished', runId: string, details: Record<string, unknown>): void {
  db.prepare('INSERT INTO AuditEvent (at, actor, action, targetType, targetId, detailsJson) VALUES (?, ?, ?, ?, ?, ?)').run(
    new Date().toISOString(),
    actor,
    action,
    'apply-run',
    runId,
    JSON.stringify(details),
  );
}
