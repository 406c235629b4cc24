/**
 * Plan reuse: the latest plan run is reused while nothing it reads has changed (its fingerprint),
 * and every input that can change the plan forces a new one.
 */
import { describe, expect, it } from 'vitest';
import { buildPlan, planFingerprint, reusablePlan, type PlanResult } from '../../engine/plan/index.ts';
import { duplicateSpace, twoSources, type SpaceFixture } from './fixture.ts';

/** Builds a plan and checks the next call would reuse exactly it. */
function planned(fixture: SpaceFixture): PlanResult {
  const built = buildPlan(fixture.db, fixture.config);
  expect(reusablePlan(fixture.db, fixture.config)).toEqual(built);
  return built;
}

const planRuns = (fixture: SpaceFixture) => fixture.db.prepare('SELECT COUNT(*) FROM PlanRun').pluck().get();

describe('plan reuse', () => {
  it('reuses the latest plan while nothing changed; hashes classify kept change neither the fingerprint nor the plan', async () => {
    const fixture = await duplicateSpace();
    const hashed = () => fixture.db.prepare('SELECT COUNT(*) FROM Entry WHERE fullHash IS NOT NULL').pluck().get() as number;
    const before = hashed();
    const fingerprint = planFingerprint(fixture.db, fixture.config);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const first = planned(fixture);
    // The two versions of plan.txt differ in size: the scan left them unhashed, classify kept their hashes.
    expect(hashed()).toBe(before + 2);
    expect(planFingerprint(fixture.db, fixture.config)).toBe(fingerprint);
    expect(reusablePlan(fixture.db, fixture.config)).toEqual(first);
    expect(planRuns(fixture)).toBe(1);
    // What a rebuild over the kept hashes gives: the same bytes.
    expect(buildPlan(fixture.db, fixture.config).planHash).toBe(first.planHash);
  });

  it('keeps reusing after a rescan that changed nothing, and rebuilds after one that changed a file', async () => {
    const fixture = await duplicateSpace();
    const first = planned(fixture);
    const changedFlags = () => fixture.db.prepare('SELECT catalogChanged FROM ScanRun ORDER BY id').pluck().all();
    await fixture.scan();
    expect(changedFlags()).toEqual([1, 0]);
    expect(reusablePlan(fixture.db, fixture.config)).toEqual(first);
    fixture.write('inbox/wm/docs/plan.txt', 'version three, longer', 1_767_200_000);
    expect(reusablePlan(fixture.db, fixture.config)).not.toBeNull(); // the catalog is what the plan read until a scan
    await fixture.scan();
    expect(changedFlags()).toEqual([1, 0, 1]);
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
    const rebuilt = planned(fixture);
    expect(rebuilt.summary.findings).toEqual({ conflict: 1, duplicate: 1 });
  });

  it('rebuilds after an origin inventory is imported', async () => {
    const fixture = await duplicateSpace();
    planned(fixture);
    fixture.origin('wintermute', [{ relPath: 'docs/plan.txt', size: 12 }, { relPath: 'docs/lost.txt', size: 3 }]);
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
    expect(planned(fixture).summary.findings).toMatchObject({ missing: 1 });
  });

  it('rebuilds after a config change that shapes the plan, not after one that does not', async () => {
    const fixture = await duplicateSpace();
    planned(fixture);
    fixture.configure({ ...twoSources, access: { users: { '3f2504e0-4f89-41d3-9a0c-0305e82c3301': 'admin' } } });
    expect(reusablePlan(fixture.db, fixture.config)).not.toBeNull();
    fixture.configure({ ...twoSources, priority: ['shortest-path'] });
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
  });

  it('rebuilds after transfer-log events change, even a re-import with as many events', async () => {
    const fixture = await duplicateSpace();
    const event = fixture.db.prepare("INSERT INTO TransferEvent (sourceId, logFile, lineNo, tool, level, relPath, code, message) VALUES ('wintermute', 'wm.log', ?, 'robocopy', 'error', 'docs/x.txt', 'EACCES', 'denied')");
    event.run(1);
    planned(fixture);
    fixture.db.prepare("DELETE FROM TransferEvent WHERE logFile = 'wm.log'").run();
    event.run(1);
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
  });

  it('rebuilds after apply or rollback moved files, and not while a scan is writing the catalog', async () => {
    const fixture = await duplicateSpace();
    planned(fixture);
    fixture.db.prepare("INSERT INTO ApplyRun (id, opsHash, status, createdBy, journalPath) VALUES ('run-1', 'ops', 'running', 'test', 'journal')").run();
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
    planned(fixture);
    fixture.db.prepare("UPDATE ApplyRun SET status = 'succeeded', doneCount = 2 WHERE id = 'run-1'").run();
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
    planned(fixture);
    const scanRun = fixture.db.prepare("INSERT INTO ScanRun (startedAtNs, status) VALUES (0, 'running')").run().lastInsertRowid;
    expect(planFingerprint(fixture.db, fixture.config)).toBeNull();
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
    // A plan built meanwhile is never reused, neither during the scan nor once it has finished.
    buildPlan(fixture.db, fixture.config);
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
    fixture.db.prepare("UPDATE ScanRun SET status = 'succeeded', finishedAt = ? WHERE id = ?").run(new Date().toISOString(), scanRun);
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
    planned(fixture);
  });

  it('reuses only a finished plan whose findings are intact', async () => {
    const fixture = await duplicateSpace();
    const first = planned(fixture);
    fixture.db.prepare("DELETE FROM Finding WHERE kind = 'conflict'").run();
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
    planned(fixture);
    fixture.db.prepare("DELETE FROM Proposal WHERE findingId IN (SELECT id FROM Finding WHERE kind = 'duplicate')").run();
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
    planned(fixture);
    // A plan that stopped midway (no plan hash yet) is the latest run: nothing is reused.
    fixture.db
      .prepare('INSERT INTO PlanRun (createdAt, planHash, configHash, fingerprint) VALUES (?, ?, ?, ?)')
      .run(new Date().toISOString(), '', first.configHash, planFingerprint(fixture.db, fixture.config));
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
    // Plans made before fingerprints existed are never reused.
    planned(fixture);
    fixture.db.prepare('UPDATE PlanRun SET fingerprint = NULL').run();
    expect(reusablePlan(fixture.db, fixture.config)).toBeNull();
  });
});
