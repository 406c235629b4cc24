/**
 * Review API latency on a catalog with 100k duplicate clusters: the first page of the duplicates
 * list, a later page by keyset cursor, a filtered page, the counts beside them, and one cluster's detail.
 * Measured with ApacheBench (`ab`, Debian apache2-utils) against `reconcile serve` on loopback,
 * one client at a time (a reviewer's browser); the target is p95 ≤ 150 ms. The first page is also
 * measured under four concurrent clients, for information.
 */
import fs from 'node:fs';
import path from 'node:path';
import { abP95 as ab, ensureCommands, ensureWebBuild, getJson, quick, record, startServer, stopServer, waitForServer } from './lib.ts';
import { seedReviewCatalog } from './api-latency.seed.ts';

const clusters = quick ? 10_000 : 100_000;
const requests = quick ? 200 : 1000;
const port = Number(process.env.BENCH_WEB_PORT ?? 3140);
const targetMs = 150;
const buildDir = process.env.RECONCILE_WEB_BUILD_DIR ?? '.next';
const abP95 = (url: string, concurrency: number) => ab(url, { requests, concurrency });

async function main(): Promise<void> {
  ensureCommands('ab:apache2-utils');
  ensureWebBuild(buildDir);
  const root = fs.mkdtempSync('/tmp/reconcile-bench-api-');
  const space = path.join(root, 'space');
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(space);
  fs.writeFileSync(path.join(root, 'reconcile.yaml'), `space: ./space\n`);
  const seeded = performance.now();
  seedReviewCatalog(path.join(dataDir, 'reconcile.db'), space, clusters);
  console.log(`  seeded ${clusters.toLocaleString('en')} clusters in ${Math.round(performance.now() - seeded)} ms`);

  const server = startServer({ config: path.join(root, 'reconcile.yaml'), dataDir, port, buildDir });
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
    stopServer(server);
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
