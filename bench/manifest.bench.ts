/**
 * Origin manifests against `xxhsum -H2` over the same files, in the same run and on a warm page
 * cache: `reconcile manifest --hash` (target ≤ 1.5×, peak RSS ≤ 500 MB, every entry written) on
 * trees with many folders — the shapes that used to grow faster than their input (24k files in
 * 24k folders took 151 s; 197k files in 11k folders never finished).
 *
 * The single-file origin tool (one thread, WebAssembly XXH128) is measured the same way, against a
 * looser target (≤ 3×): it runs where nothing can be installed, on hosts with idle cores and disks
 * slower than its hashing. CPU seconds are printed beside each ratio: on a busy machine they compare
 * better than wall time.
 *
 * Trees: 24,000 files in 24,000 folders always; 197,000 files in 11,000 folders unless BENCH_QUICK=1.
 * BENCH_MANIFEST_TREES=24000:24000,197000:11000 (files:folders, comma-separated) picks others.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { benchDir, best, quick, reconcile, record, repoRoot, timeCommand } from './lib.ts';

const bench = 'manifest';
const runs = quick ? 1 : 3;
const trees = (process.env.BENCH_MANIFEST_TREES ?? (quick ? '24000:24000' : '24000:24000,197000:11000')).split(',').map((pair) => {
  const [files, folders] = pair.split(':').map(Number);
  return { files: files!, folders: folders! };
});

/** `files` files spread over `folders` folders below 100 parents; sizes exponential around 8 KiB, deterministic. */
function generate(dir: string, files: number, folders: number): void {
  const params = JSON.stringify({ files, folders, version: 1 });
  const marker = path.join(dir, '.bench-params');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === params) return;
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`  generating ${files} files in ${folders} folders in ${dir}`);
  const pool = crypto.randomBytes(16 << 20);
  let seed = 4242;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = 0; i < files; i++) {
    const index = i % folders;
    const folder = path.join(dir, `p${index % 100}`, `folder-${index}`);
    if (i < folders) fs.mkdirSync(folder, { recursive: true });
    const size = Math.min(Math.floor(-Math.log(1 - random()) * 8192), pool.length);
    const offset = Math.floor(random() * (pool.length - size));
    fs.writeFileSync(path.join(folder, `file-${i}.bin`), pool.subarray(offset, offset + size));
  }
  fs.writeFileSync(marker, params);
}

function manifestEntries(file: string): number {
  return zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n').filter(Boolean).length - 1;
}

for (const { files, folders } of trees) {
  const tree = path.join(benchDir, `manifest-${files}-in-${folders}`);
  generate(tree, files, folders);
  const entriesOnDisk = Number(execFileSync('sh', ['-c', `find "${tree}" -mindepth 1 ! -name .bench-params | wc -l`], { encoding: 'utf8' }).trim());
  const bytes = Number(execFileSync('du', ['-sb', tree], { encoding: 'utf8' }).split('\t')[0]);
  const shape = `${files} files in ${folders} folders, ${(bytes / 1e6).toFixed(0)} MB`;
  // Warm the page cache once.
  execFileSync('sh', ['-c', `find "${tree}" -type f -print0 | xargs -0 cat > /dev/null`]);
  const out = path.join(benchDir, `manifest-${files}-in-${folders}.jsonl.gz`);
  const dataDir = path.join(benchDir, 'data-manifest');
  fs.mkdirSync(dataDir, { recursive: true });
  const xxhsum = best(runs, () => timeCommand('sh', ['-c', `find "${tree}" -type f -print0 | xargs -0 xxhsum -H2 > /dev/null`]));
  const ours = best(runs, () => reconcile(['manifest', tree, '--hash', '--out', out, '--quiet'], dataDir));
  const written = manifestEntries(out);
  const complete = written === entriesOnDisk + 1; // the marker file is listed too
  record({
    bench,
    metric: `manifest --hash vs xxhsum -H2 (${files} files, ${folders} folders)`,
    value: ours.seconds / xxhsum.seconds,
    unit: '×',
    target: '≤ 1.5×, every entry',
    pass: ours.seconds <= 1.5 * xxhsum.seconds && complete,
    detail: `${ours.seconds.toFixed(2)} s vs ${xxhsum.seconds.toFixed(2)} s (CPU ${ours.cpuSeconds.toFixed(2)} s vs ${xxhsum.cpuSeconds.toFixed(2)} s); ${written} entries written of ${entriesOnDisk + 1}; ${Math.round((ours.seconds * 1e6) / written)} µs per entry; ${shape}`,
  });
  const tool = best(runs, () => timeCommand(process.execPath, [path.join(repoRoot, 'dist/tools/reconcile-manifest.mjs'), tree, '--hash', '--out', out, '--quiet']));
  const toolWritten = manifestEntries(out);
  record({
    bench,
    metric: `origin tool --hash vs xxhsum -H2 (${files} files, ${folders} folders)`,
    value: tool.seconds / xxhsum.seconds,
    unit: '×',
    target: '≤ 3×, every entry',
    pass: tool.seconds <= 3 * xxhsum.seconds && toolWritten === entriesOnDisk + 1,
    detail: `${tool.seconds.toFixed(2)} s vs ${xxhsum.seconds.toFixed(2)} s (CPU ${tool.cpuSeconds.toFixed(2)} s); ${toolWritten} entries; peak RSS ${Math.round(tool.maxRssBytes / 1e6)} MB`,
  });
  record({
    bench,
    metric: `manifest --hash peak RSS (${files} files, ${folders} folders)`,
    value: Math.round(ours.maxRssBytes / 1e6),
    unit: 'MB',
    target: '≤ 500 MB',
    pass: ours.maxRssBytes <= 500e6,
  });
}
