/**
 * Apply benchmark for moves (issue 15): `reconcile apply` archiving the extra copy of N duplicates
 * (each move re-checks its source and its kept copy by hash, journals, links, unlinks, fsyncs),
 * against an anchor in the same run on the same files: a plain Node loop of mkdir + rename with no
 * checks, no journal and no fsync — an upper bound no durable apply can reach, not a peer.
 * Targets: ≥ 3,000 moves/s; peak RSS of the apply phase ≤ 500 MB (the goal is stated at 2M files).
 * The CLI runs verify of the run after apply; its phase is timed and sampled apart.
 *
 * Sizes: BENCH_APPLY_MOVES (50000 moves, i.e. 100000 files), 1–4 KiB each; BENCH_QUICK=1: 5000.
 * BENCH_APPLY_LOSERS: copies displaced per kept copy (1).
 * BENCH_APPLY_NODE_FLAGS: node flags for the CLI under test (a CPU profile: `--cpu-prof --cpu-prof-dir=DIR`).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildFixture, type FixtureFile, type FixtureStep } from '../test/apply/fixture.ts';
import { freshDir, quick, record, repoRoot } from './lib.ts';

const bench = 'apply-moves';
const moves = Number(process.env.BENCH_APPLY_MOVES ?? (quick ? 5_000 : 50_000));
const folders = Math.max(1, Math.round(moves / 250));
/** BENCH_APPLY_NODE_FLAGS: extra node flags for the CLI under test, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const nodeFlags = (process.env.BENCH_APPLY_NODE_FLAGS ?? '').split(' ').filter(Boolean);

/** BENCH_APPLY_LOSERS: copies displaced per kept copy, one decision per cluster (the owner's tree: ~16). */
const losers = Math.max(1, Number(process.env.BENCH_APPLY_LOSERS ?? 1));

const root = freshDir('apply-moves');
console.log(`  ${moves} duplicates (+ their kept copies, ${losers} per kept copy) in ${folders} folders under ${root}`);
const pool = crypto.randomBytes(8 << 20);
const files: FixtureFile[] = [];
const decisions: FixtureStep[][] = [];
for (let index = 0; index < moves; index += losers) {
  const size = 1024 + ((index * 7919) % 3072);
  const offset = (index * 104_729) % (pool.length - size);
  const content = pool.subarray(offset, offset + size);
  const kept = `mike/keep/d${index % folders}/f${index}.bin`;
  files.push({ rel: kept, content });
  const steps: FixtureStep[] = [];
  for (let copy = index; copy < Math.min(moves, index + losers); copy++) {
    const rel = `mike/dup/d${copy % folders}/f${copy}.bin`;
    files.push({ rel, content });
    steps.push({ op: 'move', from: rel, to: `archive/reconciliation/{run}/${rel}`, keeper: kept });
  }
  decisions.push(steps);
}
const fixture = buildFixture(root, files, decisions);
fixture.close();

/** The anchor: mkdir + rename of every duplicate and back, no checks, no fsync; the forward pass timed. */
function renameLoopSeconds(): number {
  const there = (rel: string) => path.join(fixture.space, 'anchor', rel);
  const started = performance.now();
  for (const step of decisions.flat()) {
    fs.mkdirSync(path.dirname(there(step.from as string)), { recursive: true });
    fs.renameSync(path.join(fixture.space, step.from as string), there(step.from as string));
  }
  const seconds = (performance.now() - started) / 1000;
  for (const step of decisions.flat()) fs.renameSync(there(step.from as string), path.join(fixture.space, step.from as string));
  fs.rmSync(path.join(fixture.space, 'anchor'), { recursive: true });
  return seconds;
}

interface PhaseFigures {
  seconds: number;
  peakRss: number;
}

/** Runs `reconcile --json apply`, sampling its RSS every 50 ms and splitting by the progress phase it reports. */
async function applyPhases(): Promise<{ total: PhaseFigures; apply: PhaseFigures; verify: PhaseFigures; stdout: string }> {
  const child = spawn(process.execPath, [...nodeFlags, path.join(repoRoot, 'bin/reconcile.js'), '--config', fixture.configFile, '--json', 'apply'], {
    env: { ...process.env, RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = performance.now();
  const phases = new Map<string, { from: number; to: number; peakRss: number }>();
  let phase = 'start';
  const enter = (name: string) => {
    if (name === phase) return;
    const at = performance.now();
    const previous = phases.get(phase);
    if (previous) previous.to = at;
    phase = name;
    if (!phases.has(name)) phases.set(name, { from: at, to: at, peakRss: 0 });
  };
  phases.set('start', { from: started, to: started, peakRss: 0 });
  let stdout = '';
  let stderr = '';
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const event = /"phase":"([a-z-]+)"/.exec(line);
      if (!event) continue;
      // The JSON progress is throttled: apply's last report (done = total) always comes through and ends its phase.
      const progress = JSON.parse(line) as { done: number; total: number };
      enter(event[1] === 'apply' && phase === 'apply' && progress.done === progress.total ? 'verify' : event[1]!);
    }
  });
  let peakTotal = 0;
  const sampler = setInterval(() => {
    const status = (() => {
      try {
        return fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      } catch {
        return '';
      }
    })();
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    const current = phases.get(phase)!;
    current.peakRss = Math.max(current.peakRss, rss);
    peakTotal = Math.max(peakTotal, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024);
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  enter('exit');
  if (code !== 0) throw new Error(`reconcile apply exited ${code}: ${stderr.slice(-2000)} ${stdout.slice(-2000)}`);
  const total = { seconds: (performance.now() - started) / 1000, peakRss: peakTotal };
  const of = (name: string): PhaseFigures => {
    const figures = phases.get(name);
    return figures ? { seconds: (figures.to - figures.from) / 1000, peakRss: figures.peakRss } : { seconds: 0, peakRss: 0 };
  };
  return { total, apply: of('apply'), verify: of('verify'), stdout };
}

const anchorSeconds = renameLoopSeconds();
const run = await applyPhases();
const result = JSON.parse(run.stdout) as { summary: { done: number; skipped: number; failed: number }; verification: { outcome: string } };
if (result.summary.done !== moves) throw new Error(`apply moved ${result.summary.done} of ${moves}: ${run.stdout.slice(0, 2000)}`);
if (result.verification.outcome !== 'complete') throw new Error(`verify of the run said ${result.verification.outcome}`);
const rate = moves / run.apply.seconds;
const mb = (bytes: number) => Math.round(bytes / 1e6);
record({
  bench,
  metric: `apply of ${moves} moves (${losers} per kept copy)`,
  value: Math.round(rate),
  unit: 'moves/s',
  target: '≥ 3000',
  pass: rate >= 3000,
  detail: `apply phase ${run.apply.seconds.toFixed(1)} s; whole command ${run.total.seconds.toFixed(1)} s (verify ${run.verify.seconds.toFixed(1)} s)`,
});
record({
  bench,
  metric: 'apply vs a rename loop (no checks, no journal, no fsync: an upper bound)',
  value: Number((anchorSeconds / run.apply.seconds).toFixed(3)),
  unit: '×',
  detail: `rename loop ${anchorSeconds.toFixed(2)} s (${Math.round(moves / anchorSeconds)} renames/s)`,
});
record({
  bench,
  metric: `apply phase peak RSS at ${moves} moves`,
  value: mb(run.apply.peakRss),
  unit: 'MB',
  target: '≤ 500 MB',
  pass: run.apply.peakRss <= 500e6,
  detail: `whole command ${mb(run.total.peakRss)} MB, verify phase ${mb(run.verify.peakRss)} MB (sampled every 50 ms)`,
});
