// SIGKILL the apply process (the CLI, or the worker) at random points of a 1000-operation run,
// then resume: everything ends up done exactly once and verification passes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getRun, runOperations } from '../../engine/apply/index.ts';
import { readJournal } from '../../engine/journal/index.ts';
import { verify } from '../../engine/verify/index.ts';
import { loadConfig, loadEnv } from '../../engine/config/index.ts';
import { repoRoot, runCli } from '../helpers.ts';
import { buildFixture, mixedWorkload, type Fixture } from './fixture.ts';

// tmpfs keeps 20+ runs of 1000 fsynced steps fast; the protocol does not depend on it.
const base = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'reconcile-crash-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const operations = 1000;
const trials = 20;

function start(fixture: Fixture, args: string[]) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), '--config', fixture.configFile, '--json', ...args], {
    env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, RECONCILE_DATA_DIR: fixture.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  const firstProgress = new Promise<number>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('"progress"')) resolve(Date.now());
    });
  });
  return { child, exited, firstProgress, stderr: () => stderr };
}

async function assertSettled(fixture: Fixture, runId: string): Promise<void> {
  const run = getRun(fixture.db, runId)!;
  expect(run.status).toBe('succeeded');
  const ops = runOperations(fixture.db, runId);
  expect(ops.filter((op) => op.status !== 'done').map((op) => `${op.id}:${op.status}:${op.reason}`)).toEqual([]);
  const outcomes = new Map<string, number>();
  for (const record of readJournal(run.journalPath).records) {
    if (record.t === 'done' || record.t === 'skip') outcomes.set(record.id, (outcomes.get(record.id) ?? 0) + 1);
  }
  expect(outcomes.size).toBe(operations);
  expect([...outcomes.values()].every((count) => count === 1)).toBe(true);
  for (const op of ops) {
    if (op.op === 'move') expect(fs.existsSync(op.from!)).toBe(false);
    expect(fs.existsSync(op.to)).toBe(true);
  }
  const leftovers = fs.readdirSync(fixture.space, { recursive: true }).filter((name) => String(name).includes('.reconcile-'));
  expect(leftovers).toEqual([]);
  const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' }) });
  expect(await verify(fixture.db, config, { run: runId })).toMatchObject({ outcome: 'complete' });
}

describe('apply survives SIGKILL', () => {
  it(`resumes after ${trials} kills at random points of a ${operations}-operation run`, async () => {
    let window: { from: number; to: number } | undefined;
    let midRun = 0;
    for (let trial = 0; trial <= trials; trial++) {
      const { files, decisions } = mixedWorkload(operations, trial + 1);
      const fixture = buildFixture(fs.mkdtempSync(path.join(base, `t${trial}-`)), files, decisions);
      try {
        const viaWorker = trial % 2 === 1;
        if (viaWorker) expect(runCli(['--config', fixture.configFile, 'apply', '--queue'], { dataDir: fixture.dataDir }).status).toBe(0);
        const first = start(fixture, viaWorker ? ['worker', '--until-idle'] : ['apply']);
        const startedAt = await first.firstProgress;
        if (trial === 0) {
          // Baseline: an uninterrupted run tells how long the apply phase lasts.
          expect(await first.exited, first.stderr()).toBe(0);
          window = { from: 0, to: Date.now() - startedAt };
        } else {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * window!.to));
          first.child.kill('SIGKILL');
          await first.exited;
        }
        const runId = (fixture.db.prepare('SELECT id FROM ApplyRun').get() as { id: string }).id;
        const records = readJournal(getRun(fixture.db, runId)!.journalPath).records;
        if (trial > 0 && !records.some((record) => record.t === 'end')) midRun += 1;
        const resume = runCli(['--config', fixture.configFile, '--json', ...(viaWorker ? ['worker', '--until-idle'] : ['apply'])], {
          dataDir: fixture.dataDir,
        });
        expect(resume.status, resume.stdout + resume.stderr).toBe(0);
        await assertSettled(fixture, runId);
      } finally {
        fixture.close();
        fs.rmSync(fixture.root, { recursive: true, force: true });
      }
    }
    console.log(`crash test: ${midRun}/${trials} kills landed mid-run; apply phase ${window!.to} ms`);
    // Most kills must land inside the apply phase, or the test proves little.
    expect(midRun).toBeGreaterThanOrEqual(trials / 2);
  }, 600_000);
});
