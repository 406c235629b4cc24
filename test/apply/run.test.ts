// `reconcile run` end to end on the generated demo scenario: plan, approve, apply, verify, report;
// a second run on the settled space does nothing and says so; rollback restores the tree.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.ts';
import { snapshotTree } from './fixture.ts';

describe('reconcile run', () => {
  it('applies approved decisions once, verifies, and is idempotent on a settled space', () => {
    const root = tempDir('reconcile-run-');
    const dataDir = path.join(root, 'data');
    const demo = path.join(root, 'demo');
    expect(runCli(['demo', '--out', demo], { dataDir }).status).toBe(0);
    const cli = (args: string[]) => runCli(['--config', path.join(demo, 'reconcile.yaml'), ...args], { dataDir });

    const first = cli(['--json', 'run']);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ settled: false, apply: null });
    expect(cli(['decide', '--approve-all']).status).toBe(0);

    const before = snapshotTree(path.join(demo, 'space'));
    const second = cli(['--json', 'run']);
    expect(second.status, second.stdout + second.stderr).toBe(0);
    const applied = JSON.parse(second.stdout);
    expect(applied.apply.summary.failed).toBe(0);
    // Every step's kept copy holds (a finding listing its kept file twice once displaced it too).
    expect(applied.apply.summary.flagged).toEqual([]);
    expect(applied.apply.summary.done).toBeGreaterThan(0);
    // The demo plants files that never arrived: nothing lost, entries still to fetch.
    expect(applied.apply.verification.outcome).toBe('outstanding');
    expect(applied.commsLog).toContain(applied.apply.runId);
    expect(fs.existsSync(path.join(demo, 'space/journal/reconciliation', applied.apply.runId, 'journal.jsonl'))).toBe(true);

    const third = cli(['run']);
    expect(third.status).toBe(0);
    expect(third.stdout).toContain('nothing new to do');

    const rollback = cli(['--json', 'rollback', 'latest']);
    expect(rollback.status, rollback.stdout).toBe(0);
    expect(JSON.parse(rollback.stdout)).toMatchObject({ status: 'rolled-back', refused: [] });
    expect(snapshotTree(path.join(demo, 'space'))).toEqual(before);
  }, 180_000);
});
