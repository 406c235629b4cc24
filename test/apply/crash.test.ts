// SIGKILL the apply process (the CLI, or the worker) at random points of a 1000-operation run,
// then resume: everything ends up done exactly once and verification passes. The kill is timed by
// the journal (after a random number of outcomes), not by a clock, so a loaded machine still kills
// mid-run; trials go on until enough kills did.
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
/** Kills that must land mid-run (the run's journal has no end record). */
const trials = 20;
/** Trials at most: a kill the run outpaced still tests a resume, but proves less. */
const attemptsAtMost = 2 * trials;

function start(fixture: Fixture, args: string[]) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), '--config', fixture.configFile, '--json', ...args], {
    env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, RECONCILE_DATA_DIR: fixture.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let running = true;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running = false;
      resolve(code);
    }),
  );
  return { child, exited, running: () => running, stderr: () => stderr };
}

/** Outcome records (done or skip) in the space's journals so far. */
function outcomesJournaled(fixture: Fixture): number {
  const journals = path.join(fixture.space, 'journal/reconciliation');
  if (!fs.existsSync(journals)) return 0;
  let count = 0;
  for (const run of fs.readdirSync(journals)) {
    const file = path.join(journals, run, 'journal.jsonl');
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) if (/^\{"t":"(done|skip)"/.test(line)) count += 1;
  }
  return count;
}

/** SIGKILLs the process once its journal holds `after` outcomes (unless it exits first). */
async function killAfterOutcomes(fixture: Fixture, applying: ReturnType<typeof start>, after: number): Promise<void> {
  while (applying.running() && outcomesJournaled(fixture) < after) await new Promise((resolve) => setTimeout(resolve, 2));
  applying.child.kill('SIGKILL');
  await applying.exited;
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
    let midRun = 0;
    let attempts = 0;
    for (; midRun < trials && attempts < attemptsAtMost; attempts++) {
      const { files, decisions } = mixedWorkload(operations, attempts + 1);
      const fixture = buildFixture(fs.mkdtempSync(path.join(base, `t${attempts}-`)), files, decisions);
      try {
        const viaWorker = attempts % 2 === 1;
        if (viaWorker) expect(runCli(['--config', fixture.configFile, 'apply', '--queue'], { dataDir: fixture.dataDir }).status).toBe(0);
        const first = start(fixture, viaWorker ? ['worker', '--until-idle'] : ['apply']);
        // Anywhere from the first outcome to near the end of the run.
        await killAfterOutcomes(fixture, first, 1 + Math.floor(Math.random() * (operations - 1)));
        const runId = (fixture.db.prepare('SELECT id FROM ApplyRun').get() as { id: string }).id;
        const records = readJournal(getRun(fixture.db, runId)!.journalPath).records;
        if (!records.some((record) => record.t === 'end')) midRun += 1;
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
    console.log(`crash test: ${midRun} of ${attempts} kills landed mid-run`);
    // The kills must land inside the apply phase, or the test proves little.
    expect(midRun).toBe(trials);
  }, 900_000);
});
