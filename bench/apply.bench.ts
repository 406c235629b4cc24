/**
 * Apply benchmark: copies through the apply engine (precondition check, temp name, fsync, read
 * back and hash, metadata, rename, journal) against `cp` of the same bytes, warm page cache.
 * Target: apply throughput ≥ 0.8× `cp -p` followed by `sync` — the same durability our copies
 * have (each is fsynced before it is renamed into place). Plain `cp -p` (nothing on disk yet when
 * it returns) is recorded beside it.
 *
 * Sizes: BENCH_APPLY_FILES (400), BENCH_APPLY_FILE_BYTES (2.5 MB); BENCH_QUICK=1 shrinks them.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { enqueueApply, executeRun } from '../engine/apply/index.ts';
import { loadConfig, loadEnv } from '../engine/config/index.ts';
import { buildFixture, type FixtureFile, type FixtureStep } from '../test/apply/fixture.ts';
import { freshDir, quick, record } from './lib.ts';

const bench = 'apply';
const fileCount = Number(process.env.BENCH_APPLY_FILES ?? (quick ? 100 : 400));
const fileBytes = Number(process.env.BENCH_APPLY_FILE_BYTES ?? (quick ? 1_000_000 : 2_500_000));
const runs = quick ? 1 : 3;

const root = freshDir('apply');
const pool = crypto.randomBytes(fileBytes + fileCount);
const files: FixtureFile[] = Array.from({ length: fileCount }, (_, index) => ({
  rel: `mike/src/d${index % 10}/f${index}.bin`,
  content: pool.subarray(index, index + fileBytes),
}));
const decisions: FixtureStep[][] = files.map((file, index) => [{ op: 'copy', from: file.rel, to: `mike/copy/d${index % 10}/f${index}.bin` }]);
console.log(`  ${fileCount} files × ${(fileBytes / 1e6).toFixed(1)} MB = ${((fileCount * fileBytes) / 1e9).toFixed(2)} GB in ${root}`);
const fixture = buildFixture(root, files, decisions);
const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir }) });
const source = path.join(fixture.space, 'mike/src');
const copies = path.join(fixture.space, 'mike/copy');
const cpTarget = path.join(root, 'cp-target');

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return (performance.now() - started) / 1000;
}

function reset(): void {
  fs.rmSync(copies, { recursive: true, force: true });
  fs.rmSync(cpTarget, { recursive: true, force: true });
  fixture.db.exec(`DELETE FROM ApplyRun; DELETE FROM Job; UPDATE Decision SET appliedRunId = NULL;`);
  fs.rmSync(path.join(fixture.space, 'journal'), { recursive: true, force: true });
}

let applySeconds = Infinity;
let cpSeconds = Infinity;
let cpSyncSeconds = Infinity;
for (let run = 0; run < runs; run++) {
  reset();
  cpSeconds = Math.min(cpSeconds, timed(() => execFileSync('cp', ['-rp', source, cpTarget])));
  fs.rmSync(cpTarget, { recursive: true, force: true });
  execFileSync('sync');
  cpSyncSeconds = Math.min(cpSyncSeconds, timed(() => execFileSync('sh', ['-c', 'cp -rp "$1" "$2" && sync -f "$2"', 'sh', source, cpTarget])));
  execFileSync('sync');
  const queued = enqueueApply(fixture.db, config, 'bench');
  if (queued.state === 'nothing') throw new Error('nothing queued');
  let done = 0;
  applySeconds = Math.min(
    applySeconds,
    await (async () => {
      const started = performance.now();
      const summary = await executeRun(fixture.db, config, queued.run.id, { actor: 'bench' });
      done = summary.done;
      return (performance.now() - started) / 1000;
    })(),
  );
  if (done !== fileCount) throw new Error(`apply copied ${done} of ${fileCount} files`);
}

const gigabytes = (fileCount * fileBytes) / 1e9;
const ratioSync = cpSyncSeconds / applySeconds;
const ratioPlain = cpSeconds / applySeconds;
record({ bench, metric: 'apply copies with verification', value: Number((gigabytes / applySeconds).toFixed(2)), unit: 'GB/s', detail: `${fileCount} files in ${applySeconds.toFixed(2)} s` });
record({
  bench,
  metric: 'apply throughput vs cp -p + sync (same durability)',
  value: Number(ratioSync.toFixed(2)),
  unit: '×',
  target: '≥ 0.8×',
  pass: ratioSync >= 0.8,
  detail: `cp+sync ${cpSyncSeconds.toFixed(2)} s, apply ${applySeconds.toFixed(2)} s`,
});
record({ bench, metric: 'apply throughput vs plain cp -p (page cache only)', value: Number(ratioPlain.toFixed(2)), unit: '×', detail: `cp ${cpSeconds.toFixed(2)} s` });
fixture.close();
