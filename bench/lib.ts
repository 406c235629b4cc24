/** Helpers for bench/*.bench.ts: timing child processes, peak memory, the web app, and recording results. */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
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

/** Runs a command once under /usr/bin/time; throws on an exit status other than 0 (or those in `statuses`). */
export function timeCommand(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; statuses?: number[] } = {}): Timed {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S %M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: options.env ?? process.env,
  });
  const seconds = (performance.now() - started) / 1000;
  if (!(options.statuses ?? [0]).includes(result.status ?? -1)) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-2000)}`);
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

export function reconcile(args: string[], dataDir: string, statuses?: number[]): Timed {
  return timeCommand(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), ...args], {
    env: { ...process.env, RECONCILE_DATA_DIR: dataDir, NODE_ENV: 'production' },
    ...(statuses ? { statuses } : {}),
  });
}

export function freshDir(name: string): string {
  const dir = path.join(benchDir, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Installs Debian packages whose command is missing (`command:package` pairs). */
export function ensureCommands(...pairs: string[]): void {
  const missing = pairs.filter((pair) => spawnSync('sh', ['-c', `command -v ${pair.split(':')[0]}`]).status !== 0).map((pair) => pair.split(':')[1] ?? pair);
  if (missing.length === 0) return;
  console.log(`  installing ${missing.join(', ')}`);
  spawnSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')} >/dev/null`], { stdio: 'inherit' });
}

/** The newest modification time among the files a web build is made from. */
function newestSource(): number {
  const roots = ['app', 'lib', 'engine', 'proxy.ts', 'next.config.ts', 'package-lock.json'].map((name) => path.join(repoRoot, name));
  let newest = 0;
  const visit = (file: string) => {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) for (const name of fs.readdirSync(file)) visit(path.join(file, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const root of roots) if (fs.existsSync(root)) visit(root);
  return newest;
}

/** Builds the web app when there is no build, or when it is older than its sources (a stale build serves stale routes). */
export function ensureWebBuild(buildDir: string): void {
  const buildId = path.join(repoRoot, buildDir, 'BUILD_ID');
  if (fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs >= newestSource()) return;
  console.log(`  no current web build in ${buildDir}; building it`);
  const built = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, RECONCILE_WEB_BUILD_DIR: buildDir } });
  if (built.status !== 0) throw new Error('web build failed');
}

/** GET as JSON; retried once, because a pooled keep-alive socket may have been closed by the server meanwhile. */
export async function getJson<T>(url: string): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return (await response.json()) as T;
    } catch (error) {
      if (attempt > 0) throw error;
    }
  }
}

export async function waitForServer(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server at ${url} did not answer within ${timeoutMs} ms`);
}

/** ab's "Percentage of the requests served within a certain time" table: the 95% row, in ms. */
export function abP95(url: string, options: { requests: number; concurrency?: number }): { p95: number; command: string } {
  const args = ['-q', '-n', String(options.requests), '-c', String(options.concurrency ?? 1), url];
  const result = spawnSync('ab', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ab failed: ${result.stderr}`);
  if (/Non-2xx responses/.test(result.stdout)) throw new Error(`non-2xx responses from ${url}`);
  const match = /^\s*95%\s+(\d+)/m.exec(result.stdout);
  if (!match) throw new Error(`no 95% row in ab output:\n${result.stdout}`);
  return { p95: Number(match[1]), command: `ab ${args.join(' ')}` };
}

/** Bytes of the database with its write-ahead log. */
export function databaseBytes(dataDir: string): number {
  return ['reconcile.db', 'reconcile.db-wal'].reduce((sum, name) => {
    try {
      return sum + fs.statSync(path.join(dataDir, name)).size;
    } catch {
      return sum;
    }
  }, 0);
}

/**
 * Empties the page cache so the next read comes from the disk: `drop_caches` as root, else
 * `vmtouch -e` on the tree (evicts only its pages). Says which worked, or 'warm' when neither did.
 */
export function dropCaches(tree: string): 'drop_caches' | 'vmtouch -e' | 'warm' {
  try {
    execFileSync('sh', ['-c', 'sync && echo 3 > /proc/sys/vm/drop_caches'], { stdio: 'ignore' });
    return 'drop_caches';
  } catch {
    try {
      execFileSync('vmtouch', ['-q', '-e', tree], { stdio: 'ignore' });
      return 'vmtouch -e';
    } catch {
      return 'warm';
    }
  }
}

/** The load averages (uptime), for beside a figure measured on a shared machine. */
export function loadAverage(): string {
  return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/**
 * `reconcile serve` on a loopback port in its own process group (stop it with stopServer), on the
 * production build in `buildDir`.
 */
export function startServer(options: { config: string; dataDir: string; port: number; buildDir: string; worker?: boolean }): ChildProcess {
  const args = ['--config', options.config, 'serve', '--port', String(options.port), ...(options.worker === false ? ['--no-worker'] : [])];
  return spawn(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), ...args], {
    cwd: repoRoot,
    // Local sign-in (loopback only): the benchmark is the one user.
    env: { ...process.env, RECONCILE_AUTH: 'local', RECONCILE_DATA_DIR: options.dataDir, RECONCILE_WEB_BUILD_DIR: options.buildDir, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
}

export function stopServer(server: ChildProcess): void {
  if (server.pid) process.kill(-server.pid, 'SIGTERM');
}

/** jdupes' groups (blank-line separated paths), each sorted, for comparing with ours. */
export function jdupesGroups(output: string): string[] {
  return output
    .split('\n\n')
    .map((block) => block.split('\n').filter(Boolean).sort().join('\n'))
    .filter(Boolean)
    .sort();
}
