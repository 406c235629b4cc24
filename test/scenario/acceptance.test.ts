/**
 * The engine against the demo scenario: scan and classify it as an unprivileged user (so the
 * mode-000 folder really is unreadable), then every planted problem must be reported with its kind
 * and no clean file may appear in any finding.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareFindings, generateScenario, type ReportedFinding, type Scenario } from '../../engine/scenario/index.ts';
import { nobody, nobodyUnavailable, runCliAsNobody, tempDir } from '../helpers.ts';

function reconcileAsNobody(dataDir: string, args: string[]) {
  const result = runCliAsNobody(args, { dataDir, maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe('the engine on the demo scenario', () => {
  const unavailable = nobodyUnavailable();
  let scenario: Scenario;
  let reported: ReportedFinding[];

  beforeAll(() => {
    if (unavailable) return;
    const dir = tempDir('scenario-acceptance-');
    fs.chmodSync(dir, 0o755);
    scenario = generateScenario({ dir: path.join(dir, 'demo'), seed: 11, scale: 2 });
    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(dataDir);
    fs.chownSync(dataDir, nobody, nobody);
    reconcileAsNobody(dataDir, ['--config', scenario.config, '--json', 'scan']);
    reported = (JSON.parse(reconcileAsNobody(dataDir, ['--config', scenario.config, '--json', 'findings'])) as { findings: ReportedFinding[] }).findings;
  });

  it('reports every planted problem with the right kind', (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const { missed, matched } = compareFindings(scenario.expected, reported, scenario.space);
    expect(missed).toEqual([]);
    expect(matched).toBe(scenario.expected.findings.length);
  });

  it('flags no clean file', (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    expect(compareFindings(scenario.expected, reported, scenario.space).cleanFlagged).toEqual([]);
  });
});
