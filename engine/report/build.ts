/**
 * The audit report of a run, as data: what the run did, what the latest plan still shows, who
 * decided what, and whether verification passed. Every renderer (md, html, json, csv,
 * comms-log) works from this one object.
 */
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { listRuns, resolveRun, type RunRow } from '../apply/index.ts';
import { listImportWarnings } from '../inventory/index.ts';
import type { SourceCompleteness } from '../classify/index.ts';
import { checkInvariants, storedCompleteness, type Violation } from '../plan/index.ts';
import { projectVersion } from '../project.ts';
import { latestVerification, type Verification } from '../verify/index.ts';

export interface ReportItem {
  findingId: string;
  kind: string;
  paths: string[];
  rule: string;
  action: string | null;
  verdict: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface ReportInventory {
  source: string;
  format: string;
  file: string;
  host: string | null;
  importedAt: string;
  entries: number;
}

/** What importing a source's manifest or logs could not reconcile: a warning, not a finding. */
export interface ReportImportWarning {
  source: string;
  file: string;
  line: number | null;
  kind: string;
  message: string;
}

export interface Report {
  generatedAt: string;
  generator: string;
  space: string;
  run: (Omit<RunRow, 'decisionKeysJson' | 'verifyJson'> & { decisions: number }) | null;
  plan: { id: number; createdAt: string; planHash: string } | null;
  completeness: SourceCompleteness[];
  /** The origin inventories completeness was measured against: completeness is as good as their dates. */
  inventories: ReportInventory[];
  importWarnings: ReportImportWarning[];
  duplicates: { resolvedInRun: number; bytesReclaimed: number; open: number; openReclaimableBytes: number };
  conflicts: ReportItem[];
  placeholders: { outstanding: ReportItem[]; redownload: Record<string, string[]> };
  partials: ReportItem[];
  corrupt: ReportItem[];
  unreadable: ReportItem[];
  flagged: { id: string; path: string; reason: string }[];
  invariants: { ok: boolean; violations: Violation[] };
  /** The latest verification of the whole space or of this run (engine/verify). */
  verification: Verification | null;
}

const listLimit = 500;

/** Open findings of a kind, plus those the run carried out (settled ones leave the open list). */
function findings(db: Db, kind: string, runId: string | null): ReportItem[] {
  const rows = db
    .prepare(
      `SELECT f.id, f.kind, f.pathsJson, f.rule, p.action, d.verdict, d.decidedBy, d.decidedAt
       FROM Finding f LEFT JOIN Proposal p ON p.findingId = f.id LEFT JOIN Decision d ON d.decisionKey = p.decisionKey
       WHERE f.kind = ? AND (f.status = 'open' OR f.id IN (SELECT findingId FROM Operation WHERE runId = ?))
       ORDER BY f.folder, f.id LIMIT ?`,
    )
    .all(kind, runId, listLimit) as { id: string; kind: string; pathsJson: string; rule: string; action: string | null; verdict: string | null; decidedBy: string | null; decidedAt: string | null }[];
  return rows.map((row) => ({
    findingId: row.id,
    kind: row.kind,
    paths: JSON.parse(row.pathsJson) as string[],
    rule: row.rule,
    action: row.action,
    verdict: row.verdict,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
  }));
}

/** Re-download lists per source, from the needs-redownload proposals not yet carried out. */
function redownloadLists(db: Db): Record<string, string[]> {
  const lists: Record<string, Set<string>> = {};
  const rows = db
    .prepare(
      `SELECT p.redownloadJson FROM Proposal p JOIN Finding f ON f.id = p.findingId
       WHERE f.status = 'open' AND p.action = 'needs-redownload'`,
    )
    .pluck()
    .all() as (string | null)[];
  for (const json of rows) {
    for (const item of JSON.parse(json ?? '[]') as { source: string; relPath: string }[]) (lists[item.source] ??= new Set()).add(item.relPath);
  }
  return Object.fromEntries(Object.entries(lists).map(([source, paths]) => [source, [...paths].sort()]));
}

export function buildReport(db: Db, config: Config, runRef?: string): Report {
  const run = runRef !== undefined || listRuns(db, 1).length > 0 ? resolveRun(db, runRef) : null;
  const plan = db.prepare('SELECT id, createdAt, planHash, summaryJson FROM PlanRun ORDER BY id DESC LIMIT 1').get() as
    | { id: number; createdAt: string; planHash: string; summaryJson: string }
    | undefined;
  const duplicatesOpen = db
    .prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(reclaimableBytes), 0) AS bytes FROM Finding WHERE kind = 'duplicate' AND status = 'open'`)
    .get() as { n: number; bytes: number };
  const resolved = run
    ? (db
        .prepare(
          `SELECT COUNT(DISTINCT o.decisionKey) AS n, COALESCE(SUM(CASE WHEN o.op = 'move' THEN o.expectSize ELSE 0 END), 0) AS bytes
           FROM Operation o JOIN Proposal p ON p.decisionKey = o.decisionKey
           WHERE o.runId = ? AND o.status = 'done' AND p.action = 'archive-duplicate'`,
        )
        .get(run.id) as { n: number; bytes: number })
    : { n: 0, bytes: 0 };
  const flagged = run
    ? (db
        .prepare(`SELECT id, COALESCE(fromPath, toPath) AS path, COALESCE(reason, status) AS reason FROM Operation WHERE runId = ? AND status IN ('skipped', 'failed') ORDER BY seq`)
        .all(run.id) as Report['flagged'])
    : [];
  const { decisionKeysJson, verifyJson: _verifyJson, ...runFields } = run ?? ({} as RunRow);
  return {
    generatedAt: new Date().toISOString(),
    generator: `reconcile ${projectVersion()}`,
    space: config.space,
    run: run ? { ...runFields, decisions: (JSON.parse(decisionKeysJson) as string[]).length } : null,
    plan: plan ? { id: plan.id, createdAt: plan.createdAt, planHash: plan.planHash } : null,
    completeness: plan ? storedCompleteness(plan.summaryJson) : [],
    inventories: db
      .prepare('SELECT sourceId AS source, format, file, host, importedAt, entryCount AS entries FROM Inventory ORDER BY sourceId, importedAt, id')
      .all() as ReportInventory[],
    importWarnings: listImportWarnings(db)
      .slice(0, listLimit)
      .map((warning) => ({ source: warning.sourceId, file: warning.file, line: warning.lineNo, kind: warning.kind, message: warning.message })),
    duplicates: { resolvedInRun: resolved.n, bytesReclaimed: Number(resolved.bytes), open: duplicatesOpen.n, openReclaimableBytes: Number(duplicatesOpen.bytes) },
    conflicts: findings(db, 'conflict', run?.id ?? null),
    placeholders: { outstanding: findings(db, 'placeholder', run?.id ?? null), redownload: redownloadLists(db) },
    partials: findings(db, 'partial', run?.id ?? null),
    corrupt: findings(db, 'corrupt', run?.id ?? null),
    unreadable: findings(db, 'unreadable', run?.id ?? null),
    flagged,
    invariants: checkInvariants(db, config),
    verification: latestVerification(db, run?.id ?? null),
  };
}
