/**
 * Waivers: an origin entry the owner decides not to recover (an old version nobody needs, a file
 * the origin no longer has), with the reason and the deciding person, recorded in the audit trail.
 * A waived entry leaves the recovery lists; verification counts it as accounted for and lists it.
 */
import { UserError, type Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';

export interface Waiver {
  id: number;
  source: string;
  relPath: string;
  originPath: string;
  size: number | null;
  hash: string | null;
  reason: string;
  decidedBy: string;
  decidedAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface WaiveResult {
  waived: Waiver[];
  /** Paths that had an active waiver already (left as they were). */
  alreadyWaived: string[];
}

const columns = 'id, sourceId AS source, relPath, originPath, size, hash, reason, decidedBy, decidedAt, revokedAt, revokedBy';

function audit(db: Db, actor: string, action: 'recovery.waived' | 'recovery.waiver-revoked', waiver: Pick<Waiver, 'source' | 'relPath'>, details: Record<string, unknown>): void {
  db.prepare('INSERT INTO AuditEvent (at, actor, action, targetType, targetId, detailsJson) VALUES (?, ?, ?, ?, ?, ?)').run(
    new Date().toISOString(),
    actor,
    action,
    'origin-entry',
    `${waiver.source}:${waiver.relPath}`,
    JSON.stringify(details),
  );
}

function checkSource(config: Config, source: string): void {
  if (!config.sources.some((candidate) => candidate.id === source)) throw new UserError(`unknown source ${source} (config ${config.file ?? 'none'})`);
}

/**
 * Waives origin entries of one source (paths relative to its origin, as `recover` lists them).
 * Each must be a file of the source's latest inventory; all or none are recorded.
 */
export function waive(db: Db, config: Config, input: { source: string; paths: readonly string[]; reason: string; actor: string }): WaiveResult {
  checkSource(config, input.source);
  const reason = input.reason.trim();
  if (reason === '') throw new UserError('a waiver needs a reason (--reason "why this is not worth recovering")');
  if (input.paths.length === 0) throw new UserError('name the origin entries to waive (paths as reconcile recover lists them)');
  const entry = db.prepare(
    `SELECT originPath, size, COALESCE(xxh128, sha1, md5, quickxor) AS hash FROM OriginEntry
      WHERE sourceId = ? AND relPath = ? AND isDir = 0 AND inventoryId = (SELECT MAX(id) FROM Inventory WHERE sourceId = ?)`,
  );
  const active = db.prepare('SELECT 1 FROM Waiver WHERE sourceId = ? AND relPath = ? AND revokedAt IS NULL');
  const insert = db.prepare('INSERT INTO Waiver (sourceId, relPath, originPath, size, hash, reason, decidedBy, decidedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  return db.transaction((): WaiveResult => {
    const result: WaiveResult = { waived: [], alreadyWaived: [] };
    const unknown: string[] = [];
    const now = new Date().toISOString();
    for (const relPath of [...new Set(input.paths)]) {
      const found = entry.get(input.source, relPath, input.source) as { originPath: string; size: number; hash: string | null } | undefined;
      if (!found) {
        unknown.push(relPath);
        continue;
      }
      if (active.get(input.source, relPath)) {
        result.alreadyWaived.push(relPath);
        continue;
      }
      const id = Number(insert.run(input.source, relPath, found.originPath, found.size, found.hash, reason, input.actor, now).lastInsertRowid);
      const waiver = db.prepare(`SELECT ${columns} FROM Waiver WHERE id = ?`).get(id) as Waiver;
      audit(db, input.actor, 'recovery.waived', waiver, { reason, originPath: found.originPath, size: found.size, hash: found.hash });
      result.waived.push(waiver);
    }
    if (unknown.length > 0) {
      throw new UserError(
        `not in the latest origin inventory of ${input.source}: ${unknown.slice(0, 5).map((each) => JSON.stringify(each)).join(', ')}${unknown.length > 5 ? ` (+${unknown.length - 5} more)` : ''}; nothing was waived`,
      );
    }
    return result;
  })();
}

/** Revokes the active waivers of these entries: they are outstanding again. */
export function revokeWaivers(db: Db, config: Config, input: { source: string; paths: readonly string[]; actor: string }): Waiver[] {
  checkSource(config, input.source);
  return db.transaction(() => {
    const revoked: Waiver[] = [];
    const now = new Date().toISOString();
    for (const relPath of [...new Set(input.paths)]) {
      const waiver = db.prepare(`SELECT ${columns} FROM Waiver WHERE sourceId = ? AND relPath = ? AND revokedAt IS NULL`).get(input.source, relPath) as Waiver | undefined;
      if (!waiver) throw new UserError(`no active waiver for ${input.source} ${JSON.stringify(relPath)}`);
      db.prepare('UPDATE Waiver SET revokedAt = ?, revokedBy = ? WHERE id = ?').run(now, input.actor, waiver.id);
      audit(db, input.actor, 'recovery.waiver-revoked', waiver, { waiverId: waiver.id });
      revoked.push({ ...waiver, revokedAt: now, revokedBy: input.actor });
    }
    return revoked;
  })();
}

/** Waivers in force (or also the revoked ones), by source and path. */
export function listWaivers(db: Db, options: { source?: string; includeRevoked?: boolean } = {}): Waiver[] {
  const where = [options.includeRevoked ? '1 = 1' : 'revokedAt IS NULL', options.source ? 'sourceId = @source' : '1 = 1'].join(' AND ');
  return db.prepare(`SELECT ${columns} FROM Waiver WHERE ${where} ORDER BY sourceId, relPath, id`).all(options.source ? { source: options.source } : {}) as Waiver[];
}

/** The active waivers keyed `source\0relPath`: what classify, recover and verify excuse. */
export function activeWaivers(db: Db): Map<string, Waiver> {
  return new Map(listWaivers(db).map((waiver) => [`${waiver.source}\0${waiver.relPath}`, waiver]));
}
