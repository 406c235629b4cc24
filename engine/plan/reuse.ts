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
  // Only buildPlan writes findings, and it leaves open exactly those of its run (the status index counts them).
  const open = db.prepare("SELECT COUNT(*) FROM Finding WHERE status = 'open'").pluck().get() as number;
  const own = db.prepare("SELECT COUNT(*) FROM Finding f JOIN Proposal p ON p.findingId = f.id WHERE f.status = 'open' AND f.planRunId = ? AND p.planRunId = ?").pluck().get(latest.id, latest.id) as number;
  if (open !== latest.findingCount || own !== open) return null;
  // The summary exactly as stored: the plan document it heads hashes to the stored plan hash.
  const summary = JSON.parse(latest.summaryJson) as PlanSummary;
  return { planRunId: latest.id, planHash: latest.planHash, configHash: latest.configHash, summary };
}
