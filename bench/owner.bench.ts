/**
 * Owner scale: the whole pipeline on a generated tree of millions of files (bench/owner-tree.ts:
 * four sources, origin inventories, problems at a few percent), run as the runbooks run it
 * (`node bin/reconcile.js`), each step with its wall time, peak RSS, database size and, where a
 * single-purpose tool does the same work, that tool's time in the same run:
 *
 * - cold page cache (drop_caches as root, else vmtouch -e; the results say which): jdupes -r
 *   against an ad-hoc `scan DIR --duplicates` (≤ 1.0×, same groups), then the configured first scan;
 * - warm: the same ad-hoc pair (≤ 1.5×), `scan --full` against xxhsum -H2 (≤ 1.5×), the unchanged
 *   rescan against a find stat walk (≤ 4×, 0 bytes read);
 * - `findings --kind duplicate` on a fresh catalog, `plan --rebuild`;
 * - the web app (`reconcile serve`): every page and the API calls behind them (p95 ≤ 150 ms, ab),
 *   and a bulk approve of every undecided proposal, decided on the server (≤ 5 s for 100k);
 * - apply of the approved operations (≥ 3,000 operations/s), verify, report (≤ the rescan's time);
 * - `manifest --hash` of one source's folder against xxhsum -H2 over the same files (≤ 1.5×).
 * Every step's peak RSS ≤ 500 MB.
 *
 *   npm run bench -- --scale owner        (the same as BENCH_ONLY=owner npm run bench)
 *
 * Sizes: BENCH_OWNER_FILES (2,000,000 where the disk has room for it, else 1,000,000),
 * BENCH_OWNER_MEAN_BYTES (4096); BENCH_QUICK=1 makes it 20,000 files. BENCH_OWNER_PHASES (adhoc,
 * pipeline, web, apply, manifest) runs only some parts, on the catalog the last pipeline left. A full
 * run writes its table to bench/results/<date>-owner-<files>.md (a partial one adds its phases to
 * the name); a quick one to the bench folder.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Request } from '@playwright/test';
import { generateOwnerTree, type OwnerTree } from './owner-tree.ts';
import {
  abP95,
  benchDir,
  databaseBytes,
  dropCaches,
  ensureCommands,
  ensureWebBuild,
  freshDir,
  getJson,
  jdupesGroups,
  loadAverage,
  quick,
  reconcile,
  record,
  repoRoot,
  startServer,
  stopServer,
  timeCommand,
  waitForServer,
  type Timed,
} from './lib.ts';

const bench = 'owner';
const MB = 1e6;
const memoryGoal = 500 * MB;
const latencyGoalMs = 150;

/** 2M files need ~30 GB with the catalog and copies of it; 1M where the disk has less. */
function defaultFiles(): number {
  fs.mkdirSync(benchDir, { recursive: true });
  const free = fs.statfsSync(benchDir);
  return free.bavail * free.bsize > 45e9 ? 2_000_000 : 1_000_000;
}

const files = Number(process.env.BENCH_OWNER_FILES ?? (quick ? 20_000 : defaultFiles()));
const meanBytes = Number(process.env.BENCH_OWNER_MEAN_BYTES ?? 4096);
const port = Number(process.env.BENCH_WEB_PORT ?? 3150);
const buildDir = process.env.RECONCILE_WEB_BUILD_DIR ?? '.next';

interface Step {
  step: string;
  seconds: number;
  rssBytes?: number;
  dbBytes?: number;
  anchor?: { name: string; seconds: number };
  /** Ours against the anchor, or against the goal's own unit. */
  ratio?: string;
  goal?: string;
  pass?: boolean;
  detail?: string;
}
const steps: Step[] = [];
const loads: string[] = [loadAverage()];

/** What the results file's header says; set once the tree is there, so every step can rewrite the file. */
let results: { tree: OwnerTree; shape: string; cache: string } | undefined;

function step(entry: Step): void {
  steps.push(entry);
  loads.push(loadAverage());
  // Rewritten after every step: a run stopped or failed half way still leaves what it measured.
  if (results) writeResults(results, false);
  const memory = entry.rssBytes === undefined ? undefined : entry.rssBytes <= memoryGoal;
  record({
    bench,
    metric: entry.step,
    value: entry.ratio ?? `${entry.seconds.toFixed(1)} s`,
    target: entry.goal,
    pass: entry.pass === undefined && memory === undefined ? undefined : entry.pass !== false && memory !== false,
    detail: [
      `${entry.seconds.toFixed(2)} s`,
      entry.anchor ? `${entry.anchor.name} ${entry.anchor.seconds.toFixed(2)} s` : undefined,
      entry.rssBytes === undefined ? undefined : `peak ${Math.round(entry.rssBytes / MB)} MB${memory ? '' : ' (over 500 MB)'}`,
      entry.dbBytes === undefined ? undefined : `db ${Math.round(entry.dbBytes / MB)} MB`,
      entry.detail,
    ]
      .filter(Boolean)
      .join('; '),
  });
}

const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}×`;

function ourGroups(output: string): string[] {
  return (JSON.parse(output).findings as { paths: string[] }[]).map((group) => group.paths.slice().sort().join('\n')).sort();
}

/** Parts of the run (all by default); BENCH_OWNER_PHASES=web,apply reruns those on the last run's catalog. */
const phaseNames = ['adhoc', 'pipeline', 'web', 'apply', 'manifest'] as const;
const phases = new Set((process.env.BENCH_OWNER_PHASES ?? phaseNames.join(',')).split(',').map((name) => name.trim()));
for (const name of phases) if (!(phaseNames as readonly string[]).includes(name)) throw new Error(`BENCH_OWNER_PHASES: unknown phase ${name} (${phaseNames.join(', ')})`);

async function main(): Promise<void> {
  ensureCommands('jdupes:jdupes', 'xxhsum:xxhash', 'ab:apache2-utils', 'vmtouch:vmtouch');
  ensureWebBuild(buildDir);
  const tree = await generateOwnerTree({ dir: path.join(benchDir, `owner-${files}`), files, meanBytes, log: (line) => console.log(line) });
  const space = tree.space;
  const shape = `${tree.files.toLocaleString('en')} files, ${(tree.bytes / 1e9).toFixed(2)} GB, ${tree.planted.duplicateGroups.toLocaleString('en')} planted duplicate groups`;
  console.log(`  tree: ${shape}`);
  const cli = (args: string[], dataDir: string, statuses?: number[]) => reconcile(['--config', tree.config, ...args], dataDir, statuses);
  const data = path.join(benchDir, `owner-data-${files}`);
  // The reference tools run once, when a step first needs them.
  const measured = new Map<string, Timed>();
  const anchor = (name: string, run: () => Timed) => measured.get(name) ?? measured.set(name, run()).get(name)!;
  const jdupesWarm = () => anchor('jdupes warm', () => timeCommand('jdupes', ['-r', '-q', space]));
  const xxhsum = () => anchor('xxhsum', () => timeCommand('sh', ['-c', `find "${space}" -type f -print0 | xargs -0 xxhsum -H2 > /dev/null`]));
  const rescan = () => anchor('rescan', () => cli(['scan', '--json', '--quiet'], data));
  // Emptying the page cache slows everyone on the machine: only for the steps that start cold.
  const cache = phases.has('adhoc') || phases.has('pipeline') ? dropCaches(space) : 'no cold step run';
  results = { tree, shape, cache };

  if (phases.has('adhoc')) {
    // Cold: jdupes, then the ad-hoc scan + report, each after emptying the page cache.
    const jdupesCold = anchor('jdupes cold', () => timeCommand('jdupes', ['-r', '-q', space]));
    dropCaches(space);
    const adhocCold = reconcile(['scan', space, '--duplicates', '--json', '--quiet'], freshDir('owner-adhoc'));
    const sameCold = JSON.stringify(ourGroups(adhocCold.stdout)) === JSON.stringify(jdupesGroups(jdupesCold.stdout));
    step({
      step: `ad-hoc scan + duplicate report, cold (${cache})`,
      seconds: adhocCold.seconds,
      rssBytes: adhocCold.maxRssBytes,
      dbBytes: databaseBytes(path.join(benchDir, 'owner-adhoc')),
      anchor: { name: 'jdupes -r cold', seconds: jdupesCold.seconds },
      ratio: ratio(adhocCold.seconds, jdupesCold.seconds),
      goal: '≤ 1.0× jdupes',
      pass: adhocCold.seconds <= jdupesCold.seconds && sameCold,
      detail: `${ourGroups(adhocCold.stdout).length} groups, ${sameCold ? 'same as jdupes' : 'DIFFERENT from jdupes'}`,
    });
    // Warm: the same pair again, then everything hashed against xxhsum.
    const adhocWarm = reconcile(['scan', space, '--duplicates', '--json', '--quiet'], freshDir('owner-adhoc'));
    step({
      step: 'ad-hoc scan + duplicate report, warm',
      seconds: adhocWarm.seconds,
      rssBytes: adhocWarm.maxRssBytes,
      anchor: { name: 'jdupes -r warm', seconds: jdupesWarm().seconds },
      ratio: ratio(adhocWarm.seconds, jdupesWarm().seconds),
      goal: '≤ 1.5× jdupes',
      pass: adhocWarm.seconds <= 1.5 * jdupesWarm().seconds,
    });
    const full = reconcile(['scan', space, '--full', '--json', '--quiet'], freshDir('owner-full'));
    step({
      step: 'scan --full, warm',
      seconds: full.seconds,
      rssBytes: full.maxRssBytes,
      dbBytes: databaseBytes(path.join(benchDir, 'owner-full')),
      anchor: { name: 'xxhsum -H2', seconds: xxhsum().seconds },
      ratio: ratio(full.seconds, xxhsum().seconds),
      goal: '≤ 1.5× xxhsum',
      pass: full.seconds <= 1.5 * xxhsum().seconds,
    });
    fs.rmSync(path.join(benchDir, 'owner-full'), { recursive: true, force: true });
    fs.rmSync(path.join(benchDir, 'owner-adhoc'), { recursive: true, force: true });
  }

  if (phases.has('pipeline')) {
    // The configured pipeline: first scan (cold, inventories imported), rescan, single-kind findings, plan.
    freshDir(path.basename(data));
    dropCaches(space);
    const first = cli(['scan', '--json', '--quiet'], data);
    const firstSummary = JSON.parse(first.stdout) as { entriesSeen: number; bytesRead: number };
    const jdupesCold = measured.get('jdupes cold');
    step({
      step: `first scan of the 4 sources with inventories, cold (${cache})`,
      seconds: first.seconds,
      rssBytes: first.maxRssBytes,
      dbBytes: databaseBytes(data),
      ...(jdupesCold ? { anchor: { name: 'jdupes -r cold', seconds: jdupesCold.seconds }, ratio: ratio(first.seconds, jdupesCold.seconds) } : {}),
      detail: `${firstSummary.entriesSeen.toLocaleString('en')} entries, ${(firstSummary.bytesRead / 1e9).toFixed(2)} GB read`,
    });
    const find = timeCommand('sh', ['-c', `find "${space}" -printf '%s %T@ %p\\n' > /dev/null`]);
    const again = rescan();
    const rescanSummary = JSON.parse(again.stdout) as { bytesRead: number; added: number; changed: number };
    step({
      step: 'rescan, nothing changed',
      seconds: again.seconds,
      rssBytes: again.maxRssBytes,
      dbBytes: databaseBytes(data),
      anchor: { name: 'find -printf', seconds: find.seconds },
      ratio: ratio(again.seconds, find.seconds),
      goal: '≤ 4× find, 0 bytes read',
      pass: again.seconds <= 4 * find.seconds && rescanSummary.bytesRead === 0,
      detail: `${rescanSummary.bytesRead} bytes read, ${rescanSummary.added + rescanSummary.changed} rows written`,
    });
    const duplicates = cli(['findings', '--kind', 'duplicate', '--json', '--quiet'], data);
    const duplicateCount = (JSON.parse(duplicates.stdout) as { findings: unknown[] }).findings.length;
    step({
      step: 'findings --kind duplicate (no plan yet)',
      seconds: duplicates.seconds,
      rssBytes: duplicates.maxRssBytes,
      dbBytes: databaseBytes(data),
      anchor: { name: 'jdupes -r warm', seconds: jdupesWarm().seconds },
      ratio: ratio(duplicates.seconds, jdupesWarm().seconds),
      detail: `${duplicateCount.toLocaleString('en')} groups (${tree.planted.duplicateGroups.toLocaleString('en')} planted)`,
    });
    // The text summary, not --json's whole plan document (hundreds of MB at this size).
    const plan = cli(['plan', '--rebuild'], data);
    const findingCounts = [...plan.stdout.matchAll(/^\s+(\d+)\s+([a-z-]+)$/gm)].map((match) => `${match[1]} ${match[2]}`);
    step({ step: 'plan --rebuild', seconds: plan.seconds, rssBytes: plan.maxRssBytes, dbBytes: databaseBytes(data), detail: findingCounts.join(', ') });
  }
  if (!fs.existsSync(path.join(data, 'reconcile.db'))) throw new Error(`no catalog in ${data}: run the pipeline phase first`);

  // The web app on this catalog.
  if (phases.has('web')) await measureWebApp(tree.config, data);

  if (phases.has('apply')) {
    // Apply what was approved, verify, report.
    const apply = cli(['apply', '--json', '--quiet'], data);
    const applied = JSON.parse(apply.stdout) as { summary?: { done: number; total: number; skipped: number; failed: number } };
    const summary = applied.summary ?? { done: 0, total: 0, skipped: 0, failed: 0 };
    const rate = summary.done / apply.seconds;
    step({
      step: 'apply (moves, with its verification)',
      seconds: apply.seconds,
      rssBytes: apply.maxRssBytes,
      dbBytes: databaseBytes(data),
      ratio: `${Math.round(rate)} ops/s`,
      goal: '≥ 3000 ops/s',
      pass: rate >= 3000,
      detail: `${summary.done.toLocaleString('en')} done, ${summary.skipped} skipped, ${summary.failed} failed of ${summary.total.toLocaleString('en')}`,
    });
    // Outstanding (exit 3) is this tree's true answer: origins still hold the files planted missing.
    const verify = cli(['verify', '--json', '--quiet'], data, [0, 3]);
    const verified = JSON.parse(verify.stdout) as { outcome: 'complete' | 'outstanding' | 'failed' };
    const verifyAnchor = xxhsum().seconds + rescan().seconds;
    step({
      step: 'verify',
      seconds: verify.seconds,
      rssBytes: verify.maxRssBytes,
      dbBytes: databaseBytes(data),
      anchor: { name: 'xxhsum -H2 (all files) + rescan', seconds: verifyAnchor },
      ratio: ratio(verify.seconds, verifyAnchor),
      goal: '≤ 1.5× (xxhsum + rescan)',
      pass: verify.seconds <= 1.5 * verifyAnchor,
      detail: verified.outcome === 'failed' ? 'FAILED' : verified.outcome,
    });
    const reportFile = path.join(benchDir, 'owner-report.md');
    const report = cli(['report', '--format', 'md', '--output', reportFile, '--quiet'], data);
    step({
      step: 'report (md)',
      seconds: report.seconds,
      rssBytes: report.maxRssBytes,
      anchor: { name: 'rescan', seconds: rescan().seconds },
      ratio: ratio(report.seconds, rescan().seconds),
      goal: '≤ 1× rescan',
      pass: report.seconds <= rescan().seconds,
      detail: `${Math.round(fs.statSync(reportFile).size / 1000)} kB`,
    });
  }

  if (phases.has('manifest')) {
    // On an origin host: a manifest with hashes of the Mac's code folder.
    const devFolder = path.join(space, 'mike/dev');
    const xxhsumDev = timeCommand('sh', ['-c', `find "${devFolder}" -type f -print0 | xargs -0 xxhsum -H2 > /dev/null`]);
    const manifest = reconcile(['manifest', devFolder, '--hash', '--out', path.join(benchDir, 'owner-dev.jsonl.gz'), '--json', '--quiet'], freshDir('owner-manifest'));
    step({
      step: 'manifest --hash of mike/dev',
      seconds: manifest.seconds,
      rssBytes: manifest.maxRssBytes,
      anchor: { name: 'xxhsum -H2', seconds: xxhsumDev.seconds },
      ratio: ratio(manifest.seconds, xxhsumDev.seconds),
      goal: '≤ 1.5× xxhsum',
      pass: manifest.seconds <= 1.5 * xxhsumDev.seconds,
      detail: `${(JSON.parse(manifest.stdout) as { files: number }).files.toLocaleString('en')} files`,
    });
  }

  writeResults({ tree, shape, cache }, true);
}

/** Every page and API call of the review UI (p95 by ab, one client), then a bulk approve on the server. */
async function measureWebApp(config: string, dataDir: string): Promise<void> {
  const server = startServer({ config, dataDir, port, buildDir, worker: false });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(`${base}/api/sources`, 120_000);
    const dashboard = await getJson<{ findingsByKind: Record<string, number> }>(`${base}/api/dashboard`);
    const kinds = Object.keys(dashboard.findingsByKind);
    const firstDuplicate = await getJson<{ items: { id: string; folder: string }[] }>(`${base}/api/findings?kind=duplicate&limit=1`);
    const folder = firstDuplicate.items[0]?.folder.split('/').slice(0, -1).join('/') ?? '';
    const calls: [string, string][] = [
      ['page /', '/'],
      ['page /duplicates', '/duplicates'],
      ['page /conflicts', '/conflicts'],
      ['page /decisions', '/decisions'],
      ['page /apply', '/apply'],
      ['page /findings/placeholder', '/findings/placeholder'],
      ['GET /api/dashboard', '/api/dashboard'],
      ['GET /api/sources', '/api/sources'],
      ...kinds.map((kind): [string, string] => [`first page of ${kind}`, `/api/findings?kind=${kind}&limit=100`]),
      ...kinds.map((kind): [string, string] => [`count of ${kind}`, `/api/findings/count?kind=${kind}`]),
      ['filter: duplicates by source and size', '/api/findings?kind=duplicate&source=m365-main-files&minSize=100000&limit=100'],
      ['search: findings under a folder', `/api/findings?folder=${encodeURIComponent(folder)}&limit=100`],
      ['conflict card (queue position 0)', '/api/findings/at?kind=conflict&i=0'],
      ['bulk count of undecided', '/api/decisions/bulk?state=undecided'],
    ];
    if (firstDuplicate.items[0]) calls.push(['duplicate detail', `/api/findings/${encodeURIComponent(firstDuplicate.items[0].id)}`]);
    await measureBrowserLoads(base, calls.filter(([name]) => name.startsWith('page ')).map(([, url]) => url));
    for (const [name, url] of calls) {
      try {
        // Slow calls get fewer repetitions: the run must end even before the fixes.
        const started = performance.now();
        await getJsonOrPage(`${base}${url}`);
        const once = performance.now() - started;
        const requests = once > 2000 ? 3 : once > 300 ? 10 : quick ? 20 : 50;
        const { p95 } = abP95(`${base}${url}`, { requests });
        step({ step: `web: ${name}`, seconds: p95 / 1000, ratio: `${p95} ms p95`, goal: `≤ ${latencyGoalMs} ms`, pass: p95 <= latencyGoalMs, detail: `${requests} requests` });
      } catch (error) {
        // One failing call is a result too; the others are still measured.
        step({ step: `web: ${name}`, seconds: 0, ratio: 'failed', goal: `≤ ${latencyGoalMs} ms`, pass: false, detail: (error as Error).message });
      }
    }
    await bulkApprove(base, server.pid!, dataDir);
  } finally {
    stopServer(server);
  }
}

/**
 * Each review page opened in Chromium, as the owner opens it: from the navigation until the last
 * request the page made (HTML, scripts, every API call its components fire; not the prefetches of
 * linked pages) has finished. Three loads, each in a fresh context (no cache); the worst is kept.
 * ab's figures above time the HTML alone.
 */
async function measureBrowserLoads(base: string, pages: string[]): Promise<void> {
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    for (const url of pages) {
      const loads: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) loads.push(await browserLoad(browser, `${base}${url}`));
      const worst = Math.max(...loads);
      step({
        step: `browser: page ${url} loaded`,
        seconds: worst / 1000,
        ratio: `${Math.round(worst)} ms`,
        detail: `3 cold loads ${loads.map((ms) => Math.round(ms)).join(', ')} ms, until its last request finished`,
      });
    }
  } catch (error) {
    step({ step: 'browser: page loads', seconds: 0, ratio: 'failed', pass: false, detail: (error as Error).message });
  } finally {
    await browser?.close();
  }
}

/** Milliseconds from the navigation to the end of the page's last request, once none is pending for 500 ms. */
async function browserLoad(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    let pending = 0;
    let lastFinished = 0;
    const settle = () => {
      pending -= 1;
      lastFinished = performance.now();
    };
    // Links prefetching the next pages are not part of this page's load.
    const counted = (request: Request) => !request.headers()['next-router-prefetch'];
    page.on('request', (request) => counted(request) && (pending += 1));
    page.on('requestfinished', (request) => counted(request) && settle());
    page.on('requestfailed', (request) => counted(request) && settle());
    const started = performance.now();
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response?.ok()) throw new Error(`${url}: ${response?.status()}`);
    while (pending > 0 || performance.now() - lastFinished < 500) {
      if (performance.now() - started > 120_000) throw new Error(`${url}: ${pending} requests still pending after 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return lastFinished - started;
  } finally {
    await context.close();
  }
}

/** Approves every undecided proposal through the API, as the review page's bulk button does. */
async function bulkApprove(base: string, serverPid: number, dataDir: string): Promise<void> {
  try {
    const undecided = (await getJson<{ count: number }>(`${base}/api/decisions/bulk?state=undecided`)).count;
    // A rerun on a catalog whose proposals were decided has nothing to time.
    if (undecided === 0) {
      step({ step: 'web: bulk approve of every undecided proposal', seconds: 0, ratio: 'not measured', goal: '≤ 5 s per 100k', detail: 'no undecided proposal left (run the pipeline phase first)' });
      return;
    }
    const started = performance.now();
    const response = await fetch(`${base}/api/decisions/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ filter: { state: 'undecided' }, verdict: 'approved' }),
    });
    if (!response.ok) throw new Error(`bulk approve: ${response.status} ${await response.text()}`);
    const { decided } = (await response.json()) as { decided: number };
    const seconds = (performance.now() - started) / 1000;
    const per100k = (seconds * 100_000) / Math.max(1, decided);
    step({
      step: 'web: bulk approve of every undecided proposal',
      seconds,
      rssBytes: serverPeakRss(serverPid),
      dbBytes: databaseBytes(dataDir),
      ratio: `${per100k.toFixed(2)} s per 100k`,
      goal: '≤ 5 s per 100k',
      pass: per100k <= 5 && decided === undecided,
      detail: `${decided.toLocaleString('en')} of ${undecided.toLocaleString('en')} decided`,
    });
  } catch (error) {
    step({ step: 'web: bulk approve of every undecided proposal', seconds: 0, ratio: 'failed', goal: '≤ 5 s per 100k', pass: false, detail: (error as Error).message });
  }
}

/** GETs a page or an API call once (retried once: a keep-alive socket may have been closed meanwhile). */
async function getJsonOrPage(url: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      await response.arrayBuffer();
      return;
    } catch (error) {
      if (attempt > 0) throw error;
    }
  }
}

/** The largest peak resident set among the server's processes (the CLI, next start), from /proc. */
function serverPeakRss(pid: number): number {
  let peak = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      const group = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[2];
      if (Number(group) !== pid) continue;
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // gone meanwhile
    }
  }
  return peak;
}

/** The day the run started: one results file even when a run goes past midnight. */
const date = new Date().toISOString().slice(0, 10);

/** The server's disk is not measured here; the projection of reading 1.2 TB assumes this much. */
const assumedDiskBytesPerSecond = 150e6;
const ownerBytes = 1.2e12;
const loopSteps = ['first scan of the 4 sources with inventories', 'plan --rebuild', 'apply (moves, with its verification)', 'verify', 'report (md)'];

/**
 * The whole loop (scan → report) for the owner's space: the measured steps' time per file at 2M
 * files, plus reading 1.2 TB once at an assumed disk speed (the first scan's time already includes
 * reading this tree's bytes; at owner scale the bytes, not the files, dominate).
 */
function projection(tree: OwnerTree): string | undefined {
  const timed = loopSteps.map((name) => steps.find((entry) => entry.step.startsWith(name)));
  if (timed.some((entry) => entry === undefined)) return undefined;
  const perFile = timed.reduce((sum, entry) => sum + entry!.seconds, 0) / tree.files;
  const filesPart = perFile * 2_000_000;
  const bytesPart = ownerBytes / assumedDiskBytesPerSecond;
  const hours = (seconds: number) => `${(seconds / 3600).toFixed(1)} h`;
  return `Projected loop (scan → report) for the owner's space: ${(perFile * 1000).toFixed(2)} ms per file measured (${loopSteps.join(', ')}) × 2M files = ${hours(filesPart)}, plus reading 1.2 TB once at an assumed ${assumedDiskBytesPerSecond / 1e6} MB/s (the server's disk is not measured here) = ${hours(bytesPart)}: about ${hours(filesPart + bytesPart)}.`;
}

function writeResults({ tree, shape, cache }: { tree: OwnerTree; shape: string; cache: string }, finished: boolean): void {
  const dir = quick ? benchDir : path.join(repoRoot, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  // A run of some phases only gets a name of its own: it must not replace a whole run's table.
  const partial = phases.size < phaseNames.length ? `-${[...phases].join('-')}` : '';
  const file = path.join(dir, `${date}-owner-${files}${partial}${quick ? '-quick' : ''}.md`);
  const cell = (value: string | undefined) => (value ?? '').replaceAll('|', '\\|');
  const rows = steps.map((entry) =>
    [
      entry.step,
      entry.step.startsWith('web: ') && !entry.rssBytes ? '' : `${entry.seconds.toFixed(2)} s`,
      entry.rssBytes === undefined ? '' : `${Math.round(entry.rssBytes / MB)} MB`,
      entry.dbBytes === undefined ? '' : `${Math.round(entry.dbBytes / MB)} MB`,
      entry.anchor ? `${entry.anchor.name}: ${entry.anchor.seconds.toFixed(2)} s` : '',
      entry.ratio ?? '',
      entry.goal ?? '',
      entry.pass === undefined ? '' : entry.pass && (entry.rssBytes ?? 0) <= memoryGoal ? 'met' : '**missed**',
      entry.detail ?? '',
    ]
      .map(cell)
      .join(' | '),
  );
  const git = (args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  const text = [
    `# Owner-scale benchmark, ${date}`,
    '',
    `- Tree: ${shape}; planted ${Object.entries(tree.planted).filter(([kind]) => kind !== 'duplicate' && kind !== 'duplicateGroups').map(([kind, count]) => `${count.toLocaleString('en')} ${kind}`).join(', ')} (bench/owner-tree.ts, seed ${tree.params.seed}, mean ${tree.params.meanBytes} bytes).`,
    `- Machine: ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.release()}; load average (1, 5, 15 min) at the start ${loads[0]}, at the end ${loads.at(-1)}.`,
    `- Cold cache by: ${cache}. Commit ${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--', '.', ':!bench/results']) ? ' (with uncommitted changes)' : ''}.`,
    `- Command: \`npm run bench -- --scale owner\`${quick ? ' with BENCH_QUICK=1' : ''}${partial ? ` with BENCH_OWNER_PHASES=${[...phases].join(',')}` : ''}.`,
    ...(finished ? [] : [`- **Unfinished**: written after step ${steps.length} (${steps.at(-1)?.step}); the run stopped or is still going.`]),
    '',
    '| Step | Wall | Peak RSS | Database | Anchor, same run | Ratio | Goal | | Detail |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
    '',
    `Memory goal: every step ≤ 500 MB peak RSS. Web calls: p95 of one client by ab.`,
    ...(projection(tree) ? ['', projection(tree)!] : []),
    '',
  ].join('\n');
  fs.writeFileSync(file, text);
  if (finished) console.log(`  results written to ${path.relative(process.cwd(), file)}`);
}

await main();
