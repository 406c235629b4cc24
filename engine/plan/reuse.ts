/**
 * Reusing the latest plan run instead of classifying again: on a catalog of millions, building a
 * plan takes minutes, and `findings` or `plan` after it would build the same plan once more.
 */
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import type { PlanResult, PlanSummary } from './build.ts';
import { planFingerprint } from './fingerprint.ts';

interface PlanRunRow {
  id: number;
  planHash: string;
  configHash: string;
  fingerprint: string | null;
  findingCount: number;
  summaryJson: string;
}

/**
 * The latest plan run, when nothing it read has changed since (same fingerprint) and its findings
 * are intact: it finished (a run that stopped midway has no plan hash) and the open findings are
 * exactly its own. Null: build a plan.
 */
export function reusablePlan(db: Db, config: Config): PlanResult | null {
  const latest = db.prepare('SELECT id, planHash, configHash, fingerprint, findingCount, summaryJson FROM PlanRun ORDER BY id DESC LIMIT 1').get() as
    | PlanRunRow
    | undefined;
  if (!latest || latest.fingerprint === null || latest.planHash === '') return null;
  if (planFingerprint(db, config) !== latest.fingerprint) return null;
  // Only buildPlan writes findings and proposals; it leaves open exactly its own findings, each with
  // its proposal (one per finding). Counted from indexes alone.
  const count = (sql: string, ...params: unknown[]) => db.prepare(sql).pluck().get(...params) as number;
  const open = count("SELECT COUNT(*) FROM Finding WHERE status = 'open'");
  const own = count("SELECT COUNT(*) FROM Finding WHERE status = 'open' AND planRunId = ?", latest.id);
  const proposals = count('SELECT COUNT(*) FROM Proposal WHERE planRunId = ?', latest.id);
  if (open !== latest.findingCount || own !== open || proposals !== open) return null;
  // The summary exactly as stored: the plan document it heads hashes to the stored plan hash.
  const summary = JSON.parse(latest.summaryJson) as PlanSummary;
  return { planRunId: latest.id, planHash: latest.planHash, configHash: latest.configHash, summary };
}
