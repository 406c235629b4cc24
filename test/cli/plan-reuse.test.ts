/**
 * `reconcile findings` and `reconcile plan` reuse the latest plan while nothing it reads has changed
 * (the real CLI on a real catalog): no classification runs, and both say so.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { duplicateSpace } from '../plan/fixture.ts';
import { runCli } from '../helpers.ts';

interface FindingsOutput {
  planRunId: number;
  reused: boolean;
  findings: { id: string }[];
}

describe('plan reuse from the CLI', () => {
  it('findings and plan reuse the latest plan until a rescan changes the catalog or --rebuild asks', async () => {
    const fixture = await duplicateSpace();
    const cli = (...args: string[]) => {
      const result = runCli(['--config', path.join(fixture.dir, 'reconcile.yaml'), ...args], { dataDir: fixture.dataDir });
      expect(result.status, result.stderr).toBe(0);
      return result;
    };
    const findings = (...args: string[]) => {
      const result = cli('--json', 'findings', ...args);
      return { ...(JSON.parse(result.stdout) as FindingsOutput), progress: result.stderr.split('\n').filter((line) => line.includes('"progress"')).length };
    };
    const planRuns = () => fixture.db.prepare('SELECT COUNT(*) FROM PlanRun').pluck().get();

    const built = findings();
    expect(built).toMatchObject({ reused: false, planRunId: 1 });
    expect(built.progress).toBeGreaterThan(0);
    expect(built.findings).toHaveLength(2);

    // Nothing changed: the same run, no new one, no classification progress, the same findings.
    const reused = findings();
    expect(reused).toMatchObject({ reused: true, planRunId: 1, progress: 0 });
    expect(reused.findings).toEqual(built.findings);
    expect(planRuns()).toBe(1);
    expect(cli('findings').stdout).toContain('reused plan run 1: nothing it reads has changed since it was built');

    const human = cli('plan').stdout.split('\n');
    expect(human[0]).toMatch(/^plan [0-9a-f]{64}$/);
    expect(human[1]).toContain('reused plan run 1');
    // --json: stdout stays the canonical document (its hash is the plan hash); the reuse is told on stderr.
    const document = cli('--json', 'plan');
    expect(crypto.createHash('sha256').update(document.stdout).digest('hex')).toBe(human[0]!.slice('plan '.length));
    expect(JSON.parse(document.stderr.trim())).toEqual({ event: 'plan', planRunId: 1, planHash: human[0]!.slice('plan '.length), reused: true });
    expect(planRuns()).toBe(1);

    const rebuilt = findings('--rebuild');
    expect(rebuilt).toMatchObject({ reused: false, planRunId: 2 });
    expect(rebuilt.findings).toEqual(built.findings);
    expect(cli('plan', '--rebuild').stdout).not.toContain('reused');
    expect(planRuns()).toBe(3);

    fixture.write('inbox/wm/brand/logo.png', 'logo bytes, edited');
    cli('scan');
    const afterScan = findings();
    expect(afterScan).toMatchObject({ reused: false, planRunId: 4 });
    expect(afterScan.findings.map((finding) => finding.id)).not.toEqual(built.findings.map((finding) => finding.id));
    expect(findings()).toMatchObject({ reused: true, planRunId: 4 });
  });

});
