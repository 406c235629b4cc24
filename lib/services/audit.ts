/** The audit trail: who did what and when, newest first, paged by id. */
import 'server-only';
import { engineDb } from '../db.ts';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: number | null;
}

export function listAudit(options: { before?: number; limit: number; actor?: string; action?: string }): AuditPage {
  const rows = engineDb()
    .prepare(
      `SELECT id, at, actor, action, targetType, targetId, detailsJson FROM AuditEvent
       WHERE (? IS NULL OR id < ?) AND (? IS NULL OR actor = ?) AND (? IS NULL OR action LIKE ? || '%')
       ORDER BY id DESC LIMIT ?`,
    )
    .all(
      options.before ?? null,
      options.before ?? null,
      options.actor ?? null,
      options.actor ?? null,
      options.action ?? null,
      options.action ?? null,
      options.limit + 1,
    ) as (Omit<AuditEntry, 'details'> & { detailsJson: string })[];
  const items = rows.slice(0, options.limit).map(({ detailsJson, ...row }) => ({ ...row, details: JSON.parse(detailsJson) as Record<string, unknown> }));
  return { items, nextCursor: rows.length > options.limit ? items[items.length - 1]!.id : null };
}
