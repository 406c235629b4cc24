/**
 * The dashboard's figures: per source what landed against the origin inventory, findings per
 * kind, the latest scan, plan and apply runs, and the invariant status of the latest plan.
 */
import 'server-only';
import { sourceStats } from '../../engine/catalog/index.ts';
import { importWarningsBySource, type SourceImportWarnings } from '../../engine/inventory/index.ts';
import { latestInvariants, storedCompleteness, type Violation } from '../../engine/plan/index.ts';
import type { Db } from '../../engine/db/index.ts';
import type { SourceCompleteness } from '../../engine/classify/index.ts';
import { latestVerification, type Verification } from '../../engine/verify/index.ts';
import { serverConfig } from '../config.ts';
import { engineDb } from '../db.ts';
import { listSources, type SourceSummary } from './sources.ts';

export interface SourceProgress extends SourceSummary {
  originFiles: number;
  originBytes: number;
  /** Share of the origin inventory's files present in the space (null without an inventory). */
  completeness: number | null;
  /** The latest plan's accounting of the origin inventory, when there is one. */
  accounting: SourceCompleteness | null;
  findings: Record<string, number>;
  /** What importing the source's manifest and logs could not reconcile: warnings, not findings. */
  importWarnings: SourceImportWarnings;
}

export interface RunSummary {
  id: number | string;
  status: string;
  at: string;
  finishedAt: string | null;
  detail: string;
}

export interface Dashboard {
  sources: SourceProgress[];
  findingsByKind: Record<string, number>;
  lastScan: RunSummary | null;
  lastPlan: (RunSummary & { planHash: string }) | null;
  invariants: { ok: boolean; violations: Violation[] } | null;
  lastApply: RunSummary | null;
  /** The latest verification, of the whole space or of a run (`reconcile verify`, or after each apply). */
  verification: Verification | null;
}

export async function dashboard(): Promise<Dashboard> {
  const db = engineDb();
  const sources = await listSources();
  // Kept by scan, import and plan (engine/catalog/stats.ts): a page view counts nothing.
  const stats = sourceStats(db);
  const scan = db.prepare('SELECT * FROM ScanRun ORDER BY id DESC LIMIT 1').get() as
    | { id: number; status: string; startedAt: string; finishedAt: string | null; entriesSeen: number; filesHashed: number; error: string | null }
    | undefined;
  // The latest finished plan (one being built has no hash yet; the jobs list shows it).
  const plan = db.prepare(`SELECT * FROM PlanRun WHERE planHash <> '' ORDER BY id DESC LIMIT 1`).get() as
    | { id: number; createdAt: string; planHash: string; findingCount: number; proposalCount: number; summaryJson: string }
    | undefined;
  const apply = db.prepare(`SELECT * FROM Job WHERE kind LIKE 'apply%' ORDER BY id DESC LIMIT 1`).get() as
    | { id: number; status: string; createdAt: string; finishedAt: string | null; createdBy: string; error: string | null }
    | undefined;
  const accounting = new Map((plan ? storedCompleteness(plan.summaryJson) : []).map((row) => [row.source, row]));
  const importWarnings = importWarningsBySource(db, { shown: 5 });
  const byKind = plan ? findingsByKind(db, plan.summaryJson) : {};

  return {
    sources: sources.map((source) => {
      const figures = stats.get(source.id);
      const accounted = accounting.get(source.id) ?? null;
      const originFiles = figures?.originFiles ?? 0;
      return {
        ...source,
        originFiles,
        originBytes: figures?.originBytes ?? 0,
        completeness: accounted && accounted.files > 0 ? accounted.present.files / accounted.files : originFiles > 0 ? Math.min(1, source.files / originFiles) : null,
        accounting: accounted,
        findings: figures?.findings ?? {},
        importWarnings: importWarnings.get(source.id) ?? { count: 0, shown: [] },
      };
    }),
    findingsByKind: byKind,
    lastScan: scan
      ? {
          id: scan.id,
          status: scan.status,
          at: scan.startedAt,
          finishedAt: scan.finishedAt,
          detail: scan.error ?? `${scan.entriesSeen.toLocaleString('en')} entries, ${scan.filesHashed.toLocaleString('en')} hashed`,
        }
      : null,
    lastPlan: plan
      ? {
          id: plan.id,
          status: 'done',
          at: plan.createdAt,
          finishedAt: plan.createdAt,
          detail: `${plan.findingCount.toLocaleString('en')} findings, ${plan.proposalCount.toLocaleString('en')} proposals`,
          planHash: plan.planHash,
        }
      : null,
    invariants: plan ? latestInvariants(db, serverConfig()) : null,
    lastApply: apply
      ? { id: apply.id, status: apply.status, at: apply.createdAt, finishedAt: apply.finishedAt, detail: apply.error ?? `by ${apply.createdBy}` }
      : null,
    verification: latestVerification(db),
  };
}

/** Open findings per kind of the latest finished plan: the kind tabs' counts, without the rest of the dashboard. */
export function openFindingsByKind(): Record<string, number> {
  const db = engineDb();
  const plan = db.prepare(`SELECT summaryJson FROM PlanRun WHERE planHash <> '' ORDER BY id DESC LIMIT 1`).get() as { summaryJson: string } | undefined;
  return plan ? findingsByKind(db, plan.summaryJson) : {};
}

/** Open findings per kind: the latest plan counted them when it was built (older runs did not: counted now). */
function findingsByKind(db: Db, summaryJson: string): Record<string, number> {
  const counted = (JSON.parse(summaryJson) as { findings?: Record<string, number> }).findings;
  if (counted) return counted;
  const rows = db.prepare(`SELECT kind, count(*) AS n FROM Finding WHERE status = 'open' GROUP BY kind`).all() as { kind: string; n: number }[];
  return Object.fromEntries(rows.map((row) => [row.kind, row.n]));
}
