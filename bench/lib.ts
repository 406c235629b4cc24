/** Helpers for bench/*.bench.ts: timing child processes, peak memory, and recording results. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..');
export const quick = process.env.BENCH_QUICK === '1';
export const benchDir = process.env.BENCH_DIR ?? '/tmp/reconcile-bench';

export interface Result {
  bench: string;
  metric: string;
  value: number | string;
  unit?: string;
  target?: string;
  pass?: boolean;
  detail?: string;
}

export function record(result: Result): void {
  const file = process.env.BENCH_RESULTS;
  if (file) fs.appendFileSync(file, `${JSON.stringify(result)}\n`);
  console.log(`  ${result.metric}: ${result.value}${result.unit ? ` ${result.unit}` : ''}${result.target ? ` (target ${result.target})` : ''}${result.detail ? ` — ${result.detail}` : ''}`);
}

export interface Timed {
  seconds: number;
  /** Peak resident set size of the child, in bytes (GNU time). */
  maxRssBytes: number;
  /** User + system CPU seconds of the child and its children (GNU time): comparable on a busy machine. */
  cpuSeconds: number;
  stdout: string;
}

/** Runs a command once under /usr/bin/time; throws on a non-zero exit. */
export function timeCommand(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Timed {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S %M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: options.env ?? process.env,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  const [user, system, maxRssKb] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { seconds, maxRssBytes: maxRssKb! * 1024, cpuSeconds: user! + system!, stdout: result.stdout };
}

/** Best of `runs` (warm cache: the first run of each command also warms it). */
export function best(runs: number, run: () => Timed): Timed {
  let fastest: Timed | undefined;
  for (let i = 0; i < runs; i++) {
    const timed = run();
    if (!fastest || timed.seconds < fastest.seconds) fastest = timed;
  }
  return fastest!;
}

export function reconcile(args: string[], dataDir: string): Timed {
  return timeCommand(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), ...args], {
    env: { ...process.env, RECONCILE_DATA_DIR: dataDir, NODE_ENV: 'production' },
  });
}

export function freshDir(name: string): string {
  const dir = path.join(benchDir, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
