// A reviewer's choice that departs from the proposal is what apply carries out: another keeper for
// a duplicate, the other conflict version as the winner, or keep both. Real files, the real scan,
// the plan, and `reconcile apply` through the bundled CLI.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan, choiceOperations, decide, type Operation } from '../../engine/plan/index.ts';
import { runCli } from '../helpers.ts';
import { duplicateSpace, type SpaceFixture } from './fixture.ts';

interface Planned {
  id: string;
  kind: string;
  keeperPath: string | null;
  operations: Operation[];
}

async function plannedSpace(): Promise<{ fixture: SpaceFixture; duplicate: Planned; conflict: Planned }> {
  const fixture = await duplicateSpace();
  buildPlan(fixture.db, fixture.config);
  const rows = fixture.db
    .prepare("SELECT f.id, f.kind, p.keeperPath, p.operationsJson FROM Finding f JOIN Proposal p ON p.findingId = f.id WHERE f.status = 'open'")
    .all() as { id: string; kind: string; keeperPath: string | null; operationsJson: string }[];
  const planned = rows.map(({ operationsJson, ...row }) => ({ ...row, operations: JSON.parse(operationsJson) as Operation[] }));
  return { fixture, duplicate: planned.find((p) => p.kind === 'duplicate')!, conflict: planned.find((p) => p.kind === 'conflict')! };
}

function applyApproved(fixture: SpaceFixture): string {
  const result = runCli(['--json', '--config', path.join(fixture.dir, 'reconcile.yaml'), 'apply'], { dataDir: fixture.dataDir });
  expect(result.status, result.stderr + result.stdout).toBe(0);
  const run = fixture.db.prepare('SELECT id FROM ApplyRun ORDER BY createdAt DESC LIMIT 1').pluck().get() as string;
  expect(run).toBeTruthy();
  return run;
}

describe('reviewer choices', () => {
  it('keeps the copies the reviewer keeps and archives the one the plan would have kept', async () => {
    const { fixture, duplicate } = await plannedSpace();
    const space = fixture.space;
    expect(duplicate.keeperPath).toBe(`${space}/mike/brand/logo.png`);
    const choice = { keep: [`${space}/inbox/wm/brand/logo.png`], archive: [`${space}/mike/brand/logo.png`, `${space}/inbox/wm/old/logo.png`] };
    const operations = choiceOperations(fixture.db, fixture.config, duplicate.id, choice);
    // In the finding's file order, which classify makes deterministic.
    expect(operations?.map((operation) => [operation.from, operation.to])).toEqual([
      [`${space}/inbox/wm/old/logo.png`, `${space}/archive/reconciliation/{run}/inbox/wm/old/logo.png`],
      [`${space}/mike/brand/logo.png`, `${space}/archive/reconciliation/{run}/mike/brand/logo.png`],
    ]);
    expect(operations?.map((operation) => operation.keeper?.path)).toEqual([`${space}/inbox/wm/brand/logo.png`, `${space}/inbox/wm/brand/logo.png`]);
    decide(fixture.db, { verdict: 'approved', actor: 'reviewer@example.com', findingIds: [duplicate.id], choice, operations });

    const run = applyApproved(fixture);
    expect(fs.readFileSync(`${space}/inbox/wm/brand/logo.png`, 'utf8')).toBe('logo bytes');
    expect(fs.existsSync(`${space}/mike/brand/logo.png`)).toBe(false);
    expect(fs.readFileSync(`${space}/archive/reconciliation/${run}/mike/brand/logo.png`, 'utf8')).toBe('logo bytes');
    expect(fs.readFileSync(`${space}/archive/reconciliation/${run}/inbox/wm/old/logo.png`, 'utf8')).toBe('logo bytes');
  });

  it('keeps the conflict version the reviewer picked and archives the other', async () => {
    const { fixture, conflict } = await plannedSpace();
    const space = fixture.space;
    expect(conflict.operations.map((operation) => operation.from)).toEqual([`${space}/inbox/wm/docs/plan.txt`]);
    const choice = { resolution: 'winner' as const, winner: `${space}/inbox/wm/docs/plan.txt` };
    const operations = choiceOperations(fixture.db, fixture.config, conflict.id, choice);
    expect(operations?.map((operation) => [operation.from, operation.to])).toEqual([
      [`${space}/mike/docs/plan.txt`, `${space}/archive/reconciliation/{run}/mike/docs/plan.txt`],
    ]);
    expect(operations?.[0]?.keeper?.path).toBe(`${space}/inbox/wm/docs/plan.txt`);
    decide(fixture.db, { verdict: 'approved', actor: 'reviewer@example.com', findingIds: [conflict.id], choice, operations });

    const run = applyApproved(fixture);
    expect(fs.readFileSync(`${space}/inbox/wm/docs/plan.txt`, 'utf8')).toBe('version two!');
    expect(fs.readFileSync(`${space}/archive/reconciliation/${run}/mike/docs/plan.txt`, 'utf8')).toBe('version one');
  });

  it('treats keep-both of the proposed version as the proposal itself', async () => {
    const { fixture, conflict } = await plannedSpace();
    expect(choiceOperations(fixture.db, fixture.config, conflict.id, { resolution: 'keep-both' })).toBeNull();
    const winner = `${fixture.space}/inbox/wm/docs/plan.txt`;
    const other = choiceOperations(fixture.db, fixture.config, conflict.id, { resolution: 'keep-both', winner });
    expect(other?.map((operation) => operation.to)).toEqual([`${fixture.space}/inbox/reconciliation/runs/{run}/conflicts/mike/docs/plan.txt`]);
  });

  it('refuses choices that do not fit the finding, with the reason', async () => {
    const { fixture, duplicate, conflict } = await plannedSpace();
    const space = fixture.space;
    const choose = (id: string, choice: Parameters<typeof choiceOperations>[3]) => () => choiceOperations(fixture.db, fixture.config, id, choice);
    expect(choose(duplicate.id, { keep: ['/etc/passwd'], archive: [] })).toThrow(/not in finding/);
    expect(choose(duplicate.id, { keep: [`${space}/mike/brand/logo.png`], archive: [] })).toThrow(/say whether to keep or archive/);
    expect(choose(duplicate.id, { resolution: 'winner', winner: `${space}/mike/brand/logo.png` })).toThrow(/for conflicts, not duplicate/);
    expect(choose(conflict.id, { keep: [`${space}/mike/docs/plan.txt`], archive: [] })).toThrow(/for duplicates, not conflict/);
    expect(() => decide(fixture.db, { verdict: 'approved', actor: 'x', filter: { kind: 'duplicate' }, operations: [] })).toThrow(/one finding at a time/);
  });
});
