/**
 * Cloud-hash benchmark: classifying a OneDrive-like landing whose `rclone lsjson` carries SHA-1s,
 * so every counterpart is read to confirm it. The same catalog, in the same run: classification
 * reading on the main thread one file at a time (classify with no kept digests) against the
 * read-ahead on the hash workers (precomputeDigests, then classify) on a first plan and on the next
 * one (the digests kept, no file changed), and `sha1sum` over the same files on every core
 * (xargs -P) as the reference. Warm page cache; best of three. The hash workers are
 * started before the clock runs: from source each one compiles its TypeScript first (the bundled
 * CLI starts them in milliseconds).
 *
 * Sizes: BENCH_CLOUD_FILES (20000) files of 1–128 KB; BENCH_QUICK=1 shrinks them.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classify, precomputeDigests } from '../engine/classify/index.ts';
import { loadConfig, loadEnv } from '../engine/config/index.ts';
import { openDatabase } from '../engine/db/index.ts';
import { HashPool } from '../engine/hash/index.ts';
import { freshDir, quick, reconcile, record } from './lib.ts';

const bench = 'cloud-hash';
const fileCount = Number(process.env.BENCH_CLOUD_FILES ?? (quick ? 2000 : 20_000));
const runs = quick ? 1 : 3;

const root = freshDir('cloud-hash');
const landing = path.join(root, 'space/cloud');
const pool = crypto.randomBytes(128 * 1024);
const items: string[] = [];
let bytes = 0;
for (let index = 0; index < fileCount; index++) {
  const rel = `d${index % 200}/file-${index}.bin`;
  // A unique head on shared random bytes: distinct content, cheap to generate.
  const data = Buffer.concat([crypto.randomBytes(32), pool.subarray(0, 1024 + ((index * 7919) % (127 * 1024)))]);
  fs.mkdirSync(path.dirname(path.join(landing, rel)), { recursive: true });
  fs.writeFileSync(path.join(landing, rel), data);
  bytes += data.length;
  const sha1 = crypto.createHash('sha1').update(data).digest('hex');
  items.push(JSON.stringify({ Path: rel, Name: path.basename(rel), Size: data.length, ModTime: '2025-10-02T14:00:00Z', IsDir: false, Hashes: { sha1 } }));
}
fs.writeFileSync(path.join(root, 'lsjson.json'), `[\n${items.join(',\n')}\n]\n`);
const configFile = path.join(root, 'reconcile.yaml');
fs.writeFileSync(
  configFile,
  'space: space\nsources:\n  - { id: m365, kind: rclone, class: cloud, origin: "m365:", remote: "m365:", landing: cloud, manifest: lsjson.json }\n',
);
const dataDir = path.join(root, 'data');
console.log(`  ${fileCount} files, ${(bytes / 1e9).toFixed(2)} GB with a SHA-1 lsjson, in ${root}`);
reconcile(['--config', configFile, '--quiet', 'scan'], dataDir);

const config = loadConfig({ file: configFile, env: loadEnv({ RECONCILE_DATA_DIR: dataDir }) });
const db = openDatabase(config.databasePath);
const hashPool = new HashPool();
await Promise.all([hashPool.hash([]), hashPool.hash([])]);

async function seconds(run: () => unknown): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

let serial = Infinity;
let readAhead = Infinity;
let nextPlan = Infinity;
let sha1sum = Infinity;
const present = { serial: 0, readAhead: 0, nextPlan: 0 };
const forgetDigests = () => db.exec('DELETE FROM ContentDigest');
const planned = async () => {
  await precomputeDigests(db, config, { pool: hashPool });
  return classify(db, config, () => {}).completeness[0]!.present.files;
};
for (let run = 0; run < runs; run++) {
  forgetDigests();
  serial = Math.min(serial, await seconds(() => (present.serial = classify(db, config, () => {}).completeness[0]!.present.files)));
  forgetDigests();
  readAhead = Math.min(readAhead, await seconds(async () => (present.readAhead = await planned())));
  nextPlan = Math.min(nextPlan, await seconds(async () => (present.nextPlan = await planned())));
  sha1sum = Math.min(
    sha1sum,
    await seconds(() => execFileSync('sh', ['-c', `find "$1" -type f -print0 | xargs -0 -P ${os.availableParallelism()} -n 500 sha1sum > /dev/null`, 'sh', landing])),
  );
}
db.close();
await hashPool.close();
if (Object.values(present).some((files) => files !== fileCount)) throw new Error(`present: ${JSON.stringify(present)}, expected ${fileCount}`);

record({ bench, metric: 'classify reading counterparts on the main thread', value: serial.toFixed(2), unit: 's' });
record({ bench, metric: 'classify after the read-ahead on the hash workers', value: readAhead.toFixed(2), unit: 's' });
record({ bench, metric: 'the next plan, digests kept (no file changed)', value: nextPlan.toFixed(2), unit: 's' });
record({ bench, metric: `sha1sum over the same files (xargs -P ${os.availableParallelism()})`, value: sha1sum.toFixed(2), unit: 's' });
record({
  bench,
  metric: 'read-ahead vs main-thread reads',
  value: `${(readAhead / serial).toFixed(2)}×`,
  target: '< 1×',
  pass: readAhead < serial,
  detail: `${readAhead.toFixed(2)} s vs ${serial.toFixed(2)} s`,
});
record({ bench, metric: 'read-ahead vs sha1sum', value: `${(readAhead / sha1sum).toFixed(2)}×`, detail: `${readAhead.toFixed(2)} s vs ${sha1sum.toFixed(2)} s` });
record({ bench, metric: 'next plan vs first plan', value: `${(nextPlan / readAhead).toFixed(2)}×`, target: '< 1×', pass: nextPlan < readAhead, detail: `${nextPlan.toFixed(2)} s vs ${readAhead.toFixed(2)} s` });
