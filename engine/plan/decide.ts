/**
 * Decisions on proposals, keyed by the proposal's decisionKey (content + paths) so they survive
 * rescans and re-plans. Bulk decisions by filter run as one SQL statement on the server.
 * A decision can be undone until an apply run has carried it out; both are audited.
 */
import { UserError } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { parseStoredEvidence, type FindingFacts, type StoredKindEvidence } from '../classify/index.ts';
import { findingFilterSql, findingJoins, type FindingFilter } from './filter.ts';
import type { ReviewChoice } from './choice.ts';
import type { Operation } from './operations.ts';

export type Verdict = 'approved' | 'rejected' | 'deferred';

export interface DecideInput {
  verdict: Verdict;
  actor: string;
  /** Explicit findings; otherwise every open finding matching `filter` (undecided ones unless it names a state). */
  findingIds?: string[];
  filter?: FindingFilter;
  choice?: ReviewChoice;
  /** Operations for a choice that departs from the proposal (see choice.ts); one finding only. */
  operations?: Operation[] | null;
  /**
   * With a filter: decide again what is already decided (but not applied), as the web app's bulk
   * decisions do; without, a filter that names no state means the undecided findings.
   */
  redecide?: boolean;
}

/** Finding ids per audit event: a bulk decision of 100k findings is audited in full, in parts. */
const auditIds = 1000;

export interface DecideResult {
  verdict: Verdict;
  decided: number;
  findingIds: string[];
}

export function decide(db: Db, input: DecideInput): DecideResult {
  if (!input.findingIds && !input.filter) throw new UserError('name findings or a filter to decide on');
  if (input.operations && input.findingIds?.length !== 1) throw new UserError('a choice of operations is for one finding at a time');
  const now = new Date().toISOString();
  const { where: filtered, params } = findingFilterSql(
    input.findingIds
      ? { ...input.filter, ids: input.findingIds }
      : input.redecide
        ? { ...input.filter }
        : { ...input.filter, state: input.filter?.state ?? 'undecided' },
  );
  // One statement decides every match, however many (a batch per 500 ids took 69 s for 100k).
  const where = `${filtered} AND p.id IS NOT NULL${input.redecide && !input.findingIds ? ' AND d.appliedRunId IS NULL' : ''}`;
  return db.transaction((): DecideResult => {
    const matched = db.prepare(`SELECT f.id FROM ${findingJoins} WHERE ${where} ORDER BY f.id`).pluck().all(...params) as string[];
    if (input.findingIds) {
      const found = new Set(matched);
      const unknown = input.findingIds.filter((id) => !found.has(id));
      if (unknown.length > 0) throw new UserError(`no open finding ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` (+${unknown.length - 5} more)` : ''}`);
    }
    // (A redecision by filter leaves applied findings out instead.)
    const applied = input.redecide && !input.findingIds ? [] : (db.prepare(`SELECT f.id FROM ${findingJoins} WHERE ${where} AND d.appliedRunId IS NOT NULL`).pluck().all(...params) as string[]);
    if (applied.length > 0) throw new UserError(`already applied, cannot be re-decided: ${applied.slice(0, 5).join(', ')}`);
    db.prepare(
      `INSERT INTO Decision (decisionKey, findingId, kind, verdict, choiceJson, operationsJson, decidedBy, decidedAt)
       SELECT p.decisionKey, f.id, f.kind, ?, ?, ?, ?, ? FROM ${findingJoins} WHERE ${where}
       ON CONFLICT(decisionKey) DO UPDATE SET verdict = excluded.verdict, choiceJson = excluded.choiceJson,
         operationsJson = excluded.operationsJson, decidedBy = excluded.decidedBy, decidedAt = excluded.decidedAt,
         findingId = excluded.findingId`,
    ).run(
      input.verdict,
      JSON.stringify(input.choice ?? {}),
      input.verdict === 'approved' && input.operations ? JSON.stringify(input.operations) : null,
      input.actor,
      now,
      ...params,
    );
    audit(db, input.actor, `decision.${input.verdict}`, matched, { filter: input.filter ?? null, count: matched.length }, now);
    return { verdict: input.verdict, decided: matched.length, findingIds: matched };
  })();
}

/** Removes decisions not yet applied; applied ones are undone by rolling back their run. */
export function undoDecisions(db: Db, input: { findingIds: string[]; actor: string }): { undone: number; findingIds: string[] } {
  const now = new Date().toISOString();
  return db.transaction(() => {
    const rows = db
      .prepare('SELECT findingId, appliedRunId FROM Decision WHERE findingId IN (SELECT value FROM json_each(?)) ORDER BY findingId')
      .all(JSON.stringify(input.findingIds)) as { findingId: string; appliedRunId: string | null }[];
    const applied = rows.filter((row) => row.appliedRunId !== null);
    if (applied.length > 0) {
      throw new UserError(`already applied (roll back run ${applied[0]!.appliedRunId} instead): ${applied.map((row) => row.findingId).slice(0, 5).join(', ')}`);
    }
    db.prepare('DELETE FROM Decision WHERE appliedRunId IS NULL AND findingId IN (SELECT value FROM json_each(?))').run(JSON.stringify(input.findingIds));
    const ids = rows.map((row) => row.findingId);
    audit(db, input.actor, 'decision.undone', ids, { count: ids.length }, now);
    return { undone: ids.length, findingIds: ids };
  })();
}

/** One audit event per 1,000 findings (at least one), each naming its part of the ids. */
function audit(db: Db, actor: string, action: string, findingIds: string[], details: Record<string, unknown>, at: string): void {
  const insert = db.prepare('INSERT INTO AuditEvent (at, actor, action, targetType, targetId, detailsJson) VALUES (?, ?, ?, ?, ?, ?)');
  const parts = Math.max(1, Math.ceil(findingIds.length / auditIds));
  for (let part = 0; part < parts; part++) {
    const ids = findingIds.slice(part * auditIds, (part + 1) * auditIds);
    insert.run(at, actor, action, 'finding', findingIds.length === 1 ? findingIds[0] : null, JSON.stringify({ ...details, findingIds: ids, ...(parts > 1 ? { part: part + 1, parts } : {}) }));
  }
}

/** An open finding as listed: its kind's evidence as stored (with the files), proposal and decision. */
export type ListedFinding = ListedFacts & StoredKindEvidence;

interface ListedFacts extends Pick<FindingFacts, 'id' | 'paths' | 'sources' | 'rule' | 'size' | 'hash'> {
  proposal: { action: string; rule: string; reason: string; keeper: string | null };
  decision: { verdict: string; decidedBy: string; decidedAt: string } | null;
}

/** Open findings with their proposal and decision, in the plan document's order. */
export function* listFindings(db: Db, options: { kind?: string } = {}): Generator<ListedFinding> {
  const rows = db
    .prepare(
      `SELECT f.id, f.kind, f.pathsJson, f.sourcesJson, f.rule, f.evidenceJson, f.size, f.hash,
              p.action, p.rule AS proposalRule, p.reason, p.keeperPath, d.verdict, d.decidedBy, d.decidedAt
         FROM Finding f JOIN Proposal p ON p.findingId = f.id LEFT JOIN Decision d ON d.decisionKey = p.decisionKey
        WHERE f.status = 'open' AND (? IS NULL OR f.kind = ?)
        ORDER BY f.kind, f.folder, f.id`,
    )
    .iterate(options.kind ?? null, options.kind ?? null) as IterableIterator<Record<string, string | number | null>>;
  for (const row of rows) {
    const id = row.id as string;
    yield {
      id,
      ...parseStoredEvidence(id, row.kind as string, row.evidenceJson as string),
      paths: JSON.parse(row.pathsJson as string) as string[],
      sources: JSON.parse(row.sourcesJson as string) as string[],
      rule: row.rule as string,
      ...(row.size === null ? {} : { size: row.size as number }),
      ...(row.hash === null ? {} : { hash: row.hash as string }),
      proposal: { action: row.action as string, rule: row.proposalRule as string, reason: row.reason as string, keeper: row.keeperPath as string | null },
      decision: row.verdict === null ? null : { verdict: row.verdict as string, decidedBy: row.decidedBy as string, decidedAt: row.decidedAt as string },
    };
  }
}
