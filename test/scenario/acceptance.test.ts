/**
 * The engine against the demo scenario: scan and classify it as an unprivileged user (so the
 * mode-000 folder really is unreadable), then every planted problem must be reported with its kind
 * and no clean file may appear in any finding.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareFindings, generateScenario, type ReportedFinding, type Scenario } from '../../engine/scenario/index.ts';
import { repoRoot, tempDir } from '../helpers.ts';

const nobody = 65534;

function reconcileAsNobody(dataDir: string, args: string[]) {
  const result = spawnSync('setpriv', [`--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', process.execPath, path.join(repoRoot, 'bin/reconcile.js'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: '/tmp', RECONCILE_DATA_DIR: dataDir, NODE_ENV: 'production' },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe('the engine on the demo scenario', () => {
  let scenario: Scenario;
  let reported: ReportedFinding[];

  beforeAll(() => {
    const dir = tempDir('scenario-acceptance-');
    fs.chmodSync(dir, 0o755);
    scenario = generateScenario({ dir: path.join(dir, 'demo'), seed: 11, scale: 2 });
    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(dataDir);
    fs.chownSync(dataDir, nobody, nobody);
    reconcileAsNobody(dataDir, ['--config', scenario.config, '--json', 'scan']);
    reported = (JSON.parse(reconcileAsNobody(dataDir, ['--config', scenario.config, '--json', 'findings'])) as { findings: ReportedFinding[] }).findings;
  });

  it('reports every planted problem with the right kind', () => {
    const { missed, matched } = compareFindings(scenario.expected, reported, scenario.space);
    expect(missed).toEqual([]);
    expect(matched).toBe(scenario.expected.findings.length);
  });

  it('flags no clean file', () => {
    expect(compareFindings(scenario.expected, reported, scenario.space).cleanFlagged).toEqual([]);
  });
});
