/**
 * The dashboard's figures: per source what landed against the origin inventory, findings per
 * kind, the latest scan, plan and apply runs, and the invariant status of the latest plan.
 */
import 'server-only';
import { importWarningsBySource, type SourceImportWarnings } from '../../engine/inventory/index.ts';
import { checkInvariants, storedCompleteness, type Violation } from '../../engine/plan/index.ts';
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
  const origin = db
    .prepare('SELECT sourceId, count(*) AS files, COALESCE(sum(size), 0) AS bytes FROM OriginEntry WHERE isDir = 0 GROUP BY sourceId')
    .all() as { sourceId: string; files: number; bytes: number }[];
  const originBySource = new Map(origin.map((row) => [row.sourceId, row]));
  const perSourceKind = db
    .prepare(
      `SELECT s.value AS sourceId, f.kind, count(*) AS n FROM Finding f, json_each(f.sourcesJson) s
       WHERE f.status = 'open' GROUP BY s.value, f.kind`,
    )
    .all() as { sourceId: string; kind: string; n: number }[];
  const findingsBySource = new Map<string, Record<string, number>>();
  for (const row of perSourceKind) {
    const counts = findingsBySource.get(row.sourceId) ?? {};
    counts[row.kind] = row.n;
    findingsBySource.set(row.sourceId, counts);
  }
  const byKind = db.prepare(`SELECT kind, count(*) AS n FROM Finding WHERE status = 'open' GROUP BY kind`).all() as { kind: string; n: number }[];

  const scan = db.prepare('SELECT * FROM ScanRun ORDER BY id DESC LIMIT 1').get() as
    | { id: number; status: string; startedAt: string; finishedAt: string | null; entriesSeen: number; filesHashed: number; error: string | null }
    | undefined;
  const plan = db.prepare('SELECT * FROM PlanRun ORDER BY id DESC LIMIT 1').get() as
    | { id: number; createdAt: string; planHash: string; findingCount: number; proposalCount: number; summaryJson: string }
    | undefined;
  const apply = db.prepare(`SELECT * FROM Job WHERE kind LIKE 'apply%' ORDER BY id DESC LIMIT 1`).get() as
    | { id: number; status: string; createdAt: string; finishedAt: string | null; createdBy: string; error: string | null }
    | undefined;
  const accounting = new Map((plan ? storedCompleteness(plan.summaryJson) : []).map((row) => [row.source, row]));
  const importWarnings = importWarningsBySource(db, { shown: 5 });

  return {
    sources: sources.map((source) => {
      const inventory = originBySource.get(source.id);
      const accounted = accounting.get(source.id) ?? null;
      const originFiles = inventory?.files ?? 0;
      return {
        ...source,
        originFiles,
        originBytes: Number(inventory?.bytes ?? 0),
        completeness: accounted && accounted.files > 0 ? accounted.present.files / accounted.files : originFiles > 0 ? Math.min(1, source.files / originFiles) : null,
        accounting: accounted,
        findings: findingsBySource.get(source.id) ?? {},
        importWarnings: importWarnings.get(source.id) ?? { count: 0, shown: [] },
      };
    }),
    findingsByKind: Object.fromEntries(byKind.map((row) => [row.kind, row.n])),
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
    // Checked live: the invariants are about the catalog and config as they are now.
    invariants: plan ? checkInvariants(db, serverConfig()) : null,
    lastApply: apply
      ? { id: apply.id, status: apply.status, at: apply.createdAt, finishedAt: apply.finishedAt, detail: apply.error ?? `by ${apply.createdBy}` }
      : null,
    verification: latestVerification(db),
  };
}
