/**
 * Done-when test of the findings stage: on the generated scenario, scanned by the real CLI, every
 * planted problem is reported with its kind (paths included as expected.json's matching rule
 * says), no clean file is flagged, and two plans of the same catalog are byte-identical.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isProblemKind } from '../../engine/classify/index.ts';
import { generateScenario, type Scenario } from '../../engine/scenario/index.ts';
import { runCli, tempDir } from '../helpers.ts';

interface Reported {
  id: string;
  kind: string;
  paths: string[];
}

describe.each([
  { seed: 7, scale: 1 },
  { seed: 11, scale: 2 },
])('findings on the generated scenario (seed $seed, scale $scale)', ({ seed, scale }) => {
  let scenario: Scenario;
  let dataDir: string;
  let reported: Reported[];

  beforeAll(() => {
    scenario = generateScenario({ dir: tempDir('reconcile-plan-scenario-'), seed, scale });
    dataDir = tempDir('reconcile-plan-data-');
    const scan = runCli(['--config', scenario.config, '--json', 'scan'], { dataDir });
    expect(scan.status, scan.stderr).toBe(0);
    const findings = runCli(['--config', scenario.config, '--json', 'findings'], { dataDir });
    expect(findings.status, findings.stderr).toBe(0);
    reported = (JSON.parse(findings.stdout) as { findings: Reported[] }).findings;
  }, 180_000);

  const spaceRelative = (file: string) => path.relative(scenario.space, file);

  it('reports every planted problem with its kind', () => {
    const misses: string[] = [];
    for (const expected of scenario.expected.findings) {
      if (expected.needsUnprivilegedScan) continue;
      const wanted = expected.kind === 'missing' ? expected.origin.map((ref) => ref.path) : expected.paths;
      const found = reported.some((finding) => {
        if (finding.kind !== expected.kind) return false;
        const paths = new Set(expected.kind === 'missing' ? finding.paths : finding.paths.map(spaceRelative));
        return wanted.every((wantedPath) => paths.has(wantedPath));
      });
      if (!found) misses.push(`${expected.label} (${expected.kind}): ${wanted.join(', ')}`);
    }
    expect(misses).toEqual([]);
  });

  it('flags no clean file', () => {
    // Clean inbox files planned into the layout (`staged`) are routine work, not flags.
    const flagged = new Set(reported.filter((finding) => isProblemKind(finding.kind)).flatMap((finding) => finding.paths.map(spaceRelative)));
    expect(scenario.expected.clean.filter((file) => flagged.has(file))).toEqual([]);
  });

  it('plans clean inbox files into the layout, never a planted problem', () => {
    const staged = reported.filter((finding) => finding.kind === 'staged').flatMap((finding) => finding.paths.map(spaceRelative));
    expect(staged.length).toBeGreaterThan(0);
    const planted = new Set(scenario.expected.findings.flatMap((expected) => expected.paths));
    expect(staged.filter((file) => planted.has(file))).toEqual([]);
    // The rest are clean files or the intact side of a problem (a copy suffix's original, say).
    const fine = new Set([...scenario.expected.clean, ...scenario.expected.findings.flatMap((expected) => expected.related)]);
    expect(staged.filter((file) => !fine.has(file))).toEqual([]);
  });

  it('gives a byte-identical plan document on a second run', () => {
    // The first reuses the plan `findings` built; --rebuild classifies again.
    const first = runCli(['--config', scenario.config, '--json', 'plan'], { dataDir });
    const second = runCli(['--config', scenario.config, '--json', 'plan', '--rebuild'], { dataDir });
    expect(first.status, first.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout.length).toBeGreaterThan(1000);
    const plan = JSON.parse(first.stdout) as { items: { proposal: { action: string; operations: { op: string; from: string; to: string; expect: { hash: string | null } }[] } }[] };
    const operations = plan.items.flatMap((item) => item.proposal.operations);
    expect(operations.length).toBeGreaterThan(10);
    for (const operation of operations) {
      expect(operation.op).toBe('move');
      expect(operation.expect.hash, operation.from).toMatch(/^[0-9a-f]{32}$/);
      for (const end of [operation.from, operation.to]) expect(end.startsWith(`${scenario.space}/`), end).toBe(true);
    }
    const invariants = runCli(['--config', scenario.config, '--json', 'check-invariants'], { dataDir });
    const violations = (JSON.parse(invariants.stdout) as { violations: { invariant: string }[] }).violations;
    expect(violations.filter((violation) => violation.invariant === 'write-outside-space')).toEqual([]);
    const hashes = [runCli(['--config', scenario.config, 'plan', '--rebuild'], { dataDir }), runCli(['--config', scenario.config, 'plan', '--rebuild'], { dataDir })];
    expect(hashes[0]!.stdout.split('\n')[0]).toMatch(/^plan [0-9a-f]{64}$/);
    expect(hashes[1]!.stdout.split('\n')[0]).toBe(hashes[0]!.stdout.split('\n')[0]);
  });
});
