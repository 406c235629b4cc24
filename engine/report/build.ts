/**
 * The audit report of a run, as data: what the run did, what the latest plan still shows, who
 * decided what, and whether verification passed. Every renderer (md, html, json, csv,
 * comms-log) works from this one object. Its lists of findings, re-downloads and flagged
 * operations are complete and streamed: each is a count and a fresh pass over the catalog in report
 * order, so none is held in memory (an owner's space has tens of thousands of conflicts).
 */
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { listRuns, resolveRun, type RunRow } from '../apply/index.ts';
import { listImportWarnings } from '../inventory/index.ts';
import type { SourceCompleteness } from '../classify/index.ts';
import { latestInvariants, storedCompleteness, type InvariantCheck } from '../plan/index.ts';
import { projectVersion } from '../project.ts';
import { recoveryPlan } from '../recover/index.ts';
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

/** A list of the report: how many items, and a pass over them (each call starts a new one). */
export interface ReportList<T> {
  count: number;
  items(): IterableIterator<T>;
}

export interface FlaggedItem {
  id: string;
  path: string;
  reason: string;
}

export interface ReportRecovery {
  source: string;
  kind: string;
  outstanding: number;
  fetched: number;
  placed: number;
  waived: number;
  /** Every entry to fetch, origin-relative, with why. */
  entries: { path: string; reason: string; remedy: string | null }[];
  command: string | null;
  script: string | null;
}

/** The parts of the configuration the guardrails name: where things go, which sources, which rules. */
export interface ReportSetup {
  layout: Config['layout'];
  sources: { id: string; kind: string; host: string | null; origin: string | null; landing: string }[];
  priority: readonly string[];
}

export interface Report {
  generatedAt: string;
  generator: string;
  space: string;
  setup: ReportSetup;
  run: (Omit<RunRow, 'decisionKeysJson' | 'verifyJson'> & { decisions: number }) | null;
  plan: { id: number; createdAt: string; planHash: string } | null;
  completeness: SourceCompleteness[];
  /** The origin inventories completeness was measured against: completeness is as good as their dates. */
  inventories: ReportInventory[];
  importWarnings: ReportImportWarning[];
  duplicates: { resolvedInRun: number; bytesReclaimed: number; open: number; openReclaimableBytes: number };
  conflicts: ReportList<ReportItem>;
  placeholders: { outstanding: ReportList<ReportItem> };
  /** Per source: what is still to fetch from its origin (with the command), fetched, placed, waived. */
  recovery: ReportRecovery[];
  partials: ReportList<ReportItem>;
  corrupt: ReportList<ReportItem>;
  unreadable: ReportList<ReportItem>;
  flagged: ReportList<FlaggedItem>;
  invariants: InvariantCheck;
  /** The latest verification of the whole space or of this run (engine/verify). */
  verification: Verification | null;
}

/** Import warnings listed (the rest are counted by the importer's own page). */
const listLimit = 500;

/** A list counted and streamed by one query (`select` the rows' columns, `from` with its WHERE, `order`). */
function reportList<T, R>(db: Db, query: { select: string; from: string; order: string }, params: unknown[], row: (raw: R) => T): ReportList<T> {
  const count = db.prepare(`SELECT COUNT(*) FROM (SELECT ${query.select} FROM ${query.from})`).pluck().get(...params) as number;
  const rows = db.prepare(`SELECT ${query.select} FROM ${query.from} ORDER BY ${query.order}`);
  return {
    count,
    *items() {
      for (const raw of rows.iterate(...params) as IterableIterator<R>) yield row(raw);
    },
  };
}

type FindingRow = { id: string; kind: string; pathsJson: string; rule: string; action: string | null; verdict: string | null; decidedBy: string | null; decidedAt: string | null };

/** Open findings of a kind, plus those the run carried out (settled ones leave the open list). */
function findings(db: Db, kind: string, runId: string | null): ReportList<ReportItem> {
  return reportList(
    db,
    {
      select: 'f.id, f.kind, f.pathsJson, f.rule, f.folder, p.action, d.verdict, d.decidedBy, d.decidedAt',
      from: `Finding f LEFT JOIN Proposal p ON p.findingId = f.id LEFT JOIN Decision d ON d.decisionKey = p.decisionKey
             WHERE f.kind = ? AND (f.status = 'open' OR f.id IN (SELECT findingId FROM Operation WHERE runId = ?))`,
      order: 'f.folder, f.id',
    },
    [kind, runId],
    (row: FindingRow) => ({
      findingId: row.id,
      kind: row.kind,
      paths: JSON.parse(row.pathsJson) as string[],
      rule: row.rule,
      action: row.action,
      verdict: row.verdict,
      decidedBy: row.decidedBy,
      decidedAt: row.decidedAt,
    }),
  );
}

/** Per source, from the recovery plan (`reconcile recover` holds it whole too): every entry listed. */
function recovery(db: Db, config: Config): ReportRecovery[] {
  return recoveryPlan(db, config).sources.map((source) => ({
    source: source.source,
    kind: source.kind,
    ...source.counts,
    entries: source.entries.map(({ path, reason, remedy }) => ({ path, reason, remedy })),
    command: source.command,
    script: source.script,
  }));
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
  const flagged = reportList(
    db,
    { select: 'id, COALESCE(fromPath, toPath) AS path, COALESCE(reason, status) AS reason, seq', from: `Operation WHERE runId = ? AND status IN ('skipped', 'failed')`, order: 'seq' },
    [run?.id ?? null],
    (row: FlaggedItem & { seq: number }) => ({ id: row.id, path: row.path, reason: row.reason }),
  );
  const { decisionKeysJson, verifyJson: _verifyJson, ...runFields } = run ?? ({} as RunRow);
  return {
    generatedAt: new Date().toISOString(),
    generator: `reconcile ${projectVersion()}`,
    space: config.space,
    setup: {
      layout: config.layout,
      sources: config.sources.map((source) => ({ id: source.id, kind: source.kind, host: source.host ?? null, origin: source.origin ?? null, landing: source.landing })),
      priority: config.priority,
    },
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
    placeholders: { outstanding: findings(db, 'placeholder', run?.id ?? null) },
    recovery: recovery(db, config),
    partials: findings(db, 'partial', run?.id ?? null),
    corrupt: findings(db, 'corrupt', run?.id ?? null),
    unreadable: findings(db, 'unreadable', run?.id ?? null),
    flagged,
    // Those about findings were checked when the plan was built; the config's are checked now.
    invariants: latestInvariants(db, config) ?? { ok: true, violations: [] },
    verification: latestVerification(db, run?.id ?? null),
  };
}
