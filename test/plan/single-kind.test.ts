/**
 * `findings --kind K` on a catalog with no plan classifies only what K needs and writes nothing,
 * yet answers exactly what the plan later lists for K (same findings, evidence, proposals) — on
 * the demo scenario, for every kind it plants.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../engine/db/index.ts';
import { generateScenario, type Scenario } from '../../engine/scenario/index.ts';
import { runCli, tempDir } from '../helpers.ts';

interface Listed {
  id: string;
  kind: string;
  proposal: unknown;
}

const kinds = ['duplicate', 'conflict', 'placeholder', 'partial', 'corrupt', 'artifact', 'name-collision', 'missing', 'staged'] as const;

describe('findings --kind without a plan', () => {
  let scenario: Scenario;
  let dataDir: string;
  const before = new Map<string, { planRunId: number | null; findings: Listed[] }>();
  let tablesBefore: { plans: number; findings: number; proposals: number };

  const listed = (kind: string) => {
    const result = runCli(['--config', scenario.config, '--json', '--quiet', 'findings', '--kind', kind], { dataDir });
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { planRunId: number | null; findings: Listed[] };
  };
  const byId = (findings: Listed[]) => [...findings].sort((a, b) => (a.id < b.id ? -1 : 1));

  beforeAll(() => {
    scenario = generateScenario({ dir: tempDir('reconcile-single-kind-'), seed: 5, scale: 1 });
    dataDir = tempDir('reconcile-single-kind-data-');
    const scan = runCli(['--config', scenario.config, '--quiet', 'scan'], { dataDir });
    expect(scan.status, scan.stderr).toBe(0);
    for (const kind of kinds) before.set(kind, listed(kind));
    const db = openDatabase(`${dataDir}/reconcile.db`);
    const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    tablesBefore = { plans: count('PlanRun'), findings: count('Finding'), proposals: count('Proposal') };
    db.close();
    const plan = runCli(['--config', scenario.config, '--quiet', 'plan'], { dataDir });
    expect(plan.status, plan.stderr).toBe(0);
  }, 300_000);

  it('builds no plan and writes no finding', () => {
    expect(tablesBefore).toEqual({ plans: 0, findings: 0, proposals: 0 });
    for (const kind of kinds) expect(before.get(kind)!.planRunId, kind).toBeNull();
  });

  it.each(kinds)('answers %s exactly as the plan lists it', (kind) => {
    const planned = listed(kind);
    expect(planned.planRunId).not.toBeNull();
    expect(planned.findings.length, kind).toBeGreaterThan(0);
    expect(byId(before.get(kind)!.findings)).toEqual(byId(planned.findings));
  });
});
