/**
 * Review API latency on a catalog with 100k duplicate clusters: the first page of the duplicates
 * list, a later page by keyset cursor, a filtered page, the counts beside them, and one cluster's detail.
 * Measured with ApacheBench (`ab`, Debian apache2-utils) against `reconcile serve` on loopback,
 * one client at a time (a reviewer's browser); the target is p95 ≤ 150 ms. The first page is also
 * measured under four concurrent clients, for information.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { quick, record, repoRoot } from './lib.ts';
import { seedReviewCatalog } from './api-latency.seed.ts';

const clusters = quick ? 10_000 : 100_000;
const requests = quick ? 200 : 1000;
const port = Number(process.env.BENCH_WEB_PORT ?? 3140);
const targetMs = 150;
const buildDir = process.env.RECONCILE_WEB_BUILD_DIR ?? '.next';

function ensureAb(): void {
  if (spawnSync('sh', ['-c', 'command -v ab']).status === 0) return;
  console.log('  installing apache2-utils (ab)');
  spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null'], { stdio: 'inherit' });
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
function ensureWebBuild(): void {
  const buildId = path.join(repoRoot, buildDir, 'BUILD_ID');
  if (fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs >= newestSource()) return;
  console.log(`  no current web build in ${buildDir}; building it`);
  const built = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, RECONCILE_WEB_BUILD_DIR: buildDir } });
  if (built.status !== 0) throw new Error('web build failed');
}

/** GET as JSON; retried once, because a pooled keep-alive socket may have been closed by the server meanwhile. */
async function getJson<T>(url: string): Promise<T> {
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

async function waitForServer(url: string, timeoutMs = 60_000): Promise<void> {
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
function abP95(url: string, concurrency: number): { p95: number; command: string } {
  const args = ['-q', '-n', String(requests), '-c', String(concurrency), url];
  const result = spawnSync('ab', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ab failed: ${result.stderr}`);
  if (/Non-2xx responses/.test(result.stdout)) throw new Error(`non-2xx responses from ${url}`);
  const match = /^\s*95%\s+(\d+)/m.exec(result.stdout);
  if (!match) throw new Error(`no 95% row in ab output:\n${result.stdout}`);
  return { p95: Number(match[1]), command: `ab ${args.join(' ')}` };
}

async function main(): Promise<void> {
  ensureAb();
  ensureWebBuild();
  const root = fs.mkdtempSync('/tmp/reconcile-bench-api-');
  const space = path.join(root, 'space');
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(space);
  fs.writeFileSync(path.join(root, 'reconcile.yaml'), `space: ./space\n`);
  const seeded = performance.now();
  seedReviewCatalog(path.join(dataDir, 'reconcile.db'), space, clusters);
  console.log(`  seeded ${clusters.toLocaleString('en')} clusters in ${Math.round(performance.now() - seeded)} ms`);

  const server = spawn(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), '--config', path.join(root, 'reconcile.yaml'), 'serve', '--port', String(port)], {
    cwd: repoRoot,
    env: { ...process.env, RECONCILE_AUTH: 'local', RECONCILE_DATA_DIR: dataDir, RECONCILE_WEB_BUILD_DIR: buildDir, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(`${base}/api/findings?kind=duplicate&limit=1`);
    const first = await getJson<{ items: { id: string }[]; nextCursor: string }>(`${base}/api/findings?kind=duplicate&limit=100`);
    const detailId = first.items[first.items.length - 1]!.id;
    const cases = [
      { metric: 'list p95 (first page)', url: `${base}/api/findings?kind=duplicate&limit=100` },
      { metric: 'count p95 (all duplicates)', url: `${base}/api/findings/count?kind=duplicate` },
      { metric: 'count p95 (filtered by source and size)', url: `${base}/api/findings/count?kind=duplicate&source=m365&minSize=1000000` },
      { metric: 'list p95 (next page, keyset)', url: `${base}/api/findings?kind=duplicate&limit=100&cursor=${first.nextCursor}` },
      { metric: 'list p95 (filtered by source and size)', url: `${base}/api/findings?kind=duplicate&source=m365&minSize=1000000&limit=100` },
      { metric: 'detail p95 (cluster with members)', url: `${base}/api/findings/${encodeURIComponent(detailId)}` },
    ];
    for (const { metric, url } of cases) {
      await getJson(url); // warm the route
      const { p95, command } = abP95(url, 1);
      record({ bench: 'api-latency', metric, value: p95, unit: 'ms', target: `≤ ${targetMs} ms`, pass: p95 <= targetMs, detail: `${clusters.toLocaleString('en')} clusters, ${command.replace(base, '')}` });
    }
    const loaded = abP95(cases[0]!.url, 4);
    record({ bench: 'api-latency', metric: 'list p95, 4 concurrent clients (information)', value: loaded.p95, unit: 'ms', detail: loaded.command.replace(base, '') });
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
