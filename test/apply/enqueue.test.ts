// Queueing is atomic: the same work queued twice in one second gets two run ids (no UNIQUE
// crash), and a CLI and a web apply at the same moment queue one run, not two.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeRun, rollbackRun } from '../../engine/apply/index.ts';
import { createRun } from '../../engine/apply/runs.ts';
import { approvedOperations, approvedWork } from '../../engine/apply/prepare.ts';
import { loadConfig, loadEnv } from '../../engine/config/index.ts';
import { repoRoot, tempDir } from '../helpers.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { runInjected, straceUnavailable } from './syscalls.ts';

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const fixture of fixtures) {
    fixture.close();
    fs.rmSync(fixture.root, { recursive: true, force: true });
  }
});

function runCliAsync(args: string[], dataDir: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), ...args], {
    env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, RECONCILE_DATA_DIR: dataDir },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (status) => resolve({ status, stdout, stderr })));
}

function oneMove(): Fixture {
  const fixture = buildFixture(tempDir('reconcile-enqueue-'), [{ rel: 'mike/a.txt', content: Buffer.from('alpha') }], [
    [{ op: 'move', from: 'mike/a.txt', to: 'archive/reconciliation/{run}/mike/a.txt' }],
  ]);
  fixtures.push(fixture);
  return fixture;
}

describe('queueing runs', () => {
  it('gives the same work queued twice in one second its own run id', async () => {
    const fixture = oneMove();
    const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' }) });
    const at = new Date('2026-12-03T10:00:00.000Z');
    const first = createRun(fixture.db, config, approvedWork(fixture.db, config), 'test', at);
    await executeRun(fixture.db, config, first.id, { actor: 'test' });
    await rollbackRun(fixture.db, config, first.id, { actor: 'test' });
    // Applied and rolled back within the second: the same work, queued again.
    const second = createRun(fixture.db, config, approvedWork(fixture.db, config), 'test', at);
    expect(second.id).toBe(`${first.id}-2`);
    expect(second.opsHash).toBe(first.opsHash);
    expect(await executeRun(fixture.db, config, second.id, { actor: 'test' })).toMatchObject({ done: 1 });
  });

  it('reads the approved work a page at a time: every step once, in decision order, none held back', () => {
    // More decisions than one page of proposals holds, one of them repeating a step of another.
    const decisions = Array.from({ length: 600 }, (_, index) => [{ op: 'mkdir' as const, to: `mike/new/d${index}` }]);
    const fixture = buildFixture(tempDir('reconcile-enqueue-'), [], decisions);
    fixtures.push(fixture);
    const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' }) });
    const proposals = fixture.db.prepare('SELECT decisionKey, operationsJson FROM Proposal ORDER BY decisionKey').all() as { decisionKey: string; operationsJson: string }[];
    const [sharing, shared] = [proposals[400]!, proposals[7]!];
    const repeated = JSON.parse(shared.operationsJson) as { id: string }[];
    fixture.db
      .prepare('UPDATE Decision SET operationsJson = ? WHERE decisionKey = ?')
      .run(JSON.stringify([...repeated, ...(JSON.parse(sharing.operationsJson) as unknown[])]), sharing.decisionKey);

    const operations = approvedOperations(fixture.db, config);
    const expected = proposals.flatMap((proposal) => (JSON.parse(proposal.operationsJson) as { id: string }[]).map((op) => op.id));
    expect(operations.map((op) => op.id)).toEqual(expected);
    expect(operations.map((op) => op.seq)).toEqual(expected.map((_, index) => index));

    const work = approvedWork(fixture.db, config);
    expect(work).toMatchObject({ count: 600, bytesTotal: 0n });
    const run = createRun(fixture.db, config, work, 'test');
    expect(run).toMatchObject({ opCount: 600, opsHash: work.opsHash });
    expect(JSON.parse(run.decisionKeysJson)).toEqual(proposals.map((proposal) => proposal.decisionKey));
    expect(fixture.db.prepare('SELECT COUNT(*) FROM Operation WHERE runId = ?').pluck().get(run.id)).toBe(600);
  });

  it('queues one run when two processes apply at the same moment', async (ctx) => {
    const unavailable = straceUnavailable();
    if (unavailable) ctx.skip(unavailable);
    const names = Array.from({ length: 200 }, (_, index) => `file-${index}.txt`);
    const fixture = buildFixture(
      tempDir('reconcile-enqueue-'),
      names.map((name) => ({ rel: `mike/${name}`, content: Buffer.from(name) })),
      names.map((name) => [{ op: 'move' as const, from: `mike/${name}`, to: `archive/reconciliation/{run}/mike/${name}` }]),
    );
    fixtures.push(fixture);
    // The first process reads the database slowly (each page read held 100 ms; the pages are in
    // the database file, not in this process's write-ahead log) ...
    fixture.db.pragma('wal_checkpoint(TRUNCATE)');
    const first = runInjected(['--config', fixture.configFile, '--json', 'apply', '--queue'], {
      dataDir: fixture.dataDir,
      calls: ['pread64'],
      onPath: `${fixture.dataDir}/reconcile.db`,
      action: { delayMs: 100 },
      when: '1+',
      traceFile: 'stderr',
    });
    // ... and once it has opened the database (its migration check reads 7 pages) and begun to
    // look for work, a second process (the web app, say) looks for work too. Before enqueue was
    // one IMMEDIATE transaction, both found none queued and both queued a run (or crashed on the
    // run id); now the second waits for the first and finds its run.
    while (first.stderr().split('pread64(').length - 1 < 8) await new Promise((resolve) => setTimeout(resolve, 20));
    // (Run without blocking this process: the first one's trace must keep flowing.)
    const second = await runCliAsync(['--config', fixture.configFile, '--json', 'apply', '--queue'], fixture.dataDir);
    expect((await first.exited).code, first.stdout()).toBe(0);
    expect(second.status, second.stdout + second.stderr).toBe(0);
    const runs = fixture.db.prepare('SELECT id FROM ApplyRun').pluck().all();
    expect(runs).toHaveLength(1);
    expect([JSON.parse(first.stdout()).state, JSON.parse(second.stdout).state].sort()).toEqual(['queued', 'resumed']);
  }, 120_000);
});
