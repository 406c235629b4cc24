/**
 * Catalog benchmarks against reference tools, in the same run and on a warm page cache:
 * - ad-hoc scan + duplicate report vs `jdupes -r` (same groups required), target ≤ 1.0×
 * - `scan --full` vs `xxhsum -H2` over every file, target ≤ 1.5×
 * - rescan of the unchanged tree vs a `find -printf '%s %T@ %p'` stat walk, target ≤ 4×, 0 bytes read
 * - 1M files: peak RSS of a scan ≤ 400 MB; catalog inserts ≥ 200k rows/s
 *
 * Sizes: BENCH_FILES (100000), BENCH_BYTES (4e9), BENCH_DUP (0.3), BENCH_MANY_FILES (1000000; 0 skips);
 * BENCH_QUICK=1 shrinks them all for a quick check.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../engine/db/index.ts';
import { dropEntryIndexes, restoreEntryIndexes } from '../engine/scan/bulk.ts';
import { CatalogWriter } from '../engine/scan/writer.ts';
import type { WalkedEntry } from '../engine/scan/walk.ts';
import { benchDir, best, freshDir, jdupesGroups, quick, reconcile, record, timeCommand } from './lib.ts';

const files = Number(process.env.BENCH_FILES ?? (quick ? 10_000 : 100_000));
const totalBytes = Number(process.env.BENCH_BYTES ?? (quick ? 200e6 : 4e9));
const dupShare = Number(process.env.BENCH_DUP ?? 0.3);
const manyFiles = Number(process.env.BENCH_MANY_FILES ?? (quick ? 50_000 : 1_000_000));
const runs = quick ? 1 : 2;
const bench = 'catalog';

/** Deterministic tree: exponential sizes around the mean, `dupShare` of the files copy an earlier one. */
function generateTree(dir: string, count: number, bytes: number): void {
  const params = JSON.stringify({ count, bytes, dupShare, version: 1 });
  const marker = path.join(dir, '.bench-params');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === params) return;
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`  generating ${count} files, ~${(bytes / 1e9).toFixed(1)} GB in ${dir}`);
  const pool = crypto.randomBytes(256 << 20);
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const mean = bytes / count;
  const originals: { offset: number; size: number }[] = [];
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, `d${i % 97}`, `e${Math.floor(i / 97) % 11}`);
    if (i < 97 * 11) fs.mkdirSync(folder, { recursive: true });
    let piece: { offset: number; size: number };
    if (originals.length > 0 && random() < dupShare) piece = originals[Math.floor(random() * originals.length)]!;
    else {
      const size = Math.min(Math.floor(-Math.log(1 - random()) * mean), pool.length - 1);
      piece = { offset: Math.floor(random() * (pool.length - size)), size };
      originals.push(piece);
    }
    fs.writeFileSync(path.join(folder, `f${i}.bin`), pool.subarray(piece.offset, piece.offset + piece.size));
  }
  fs.writeFileSync(marker, params);
}

function generateManyFiles(dir: string, count: number): void {
  const marker = path.join(dir, '.bench-params');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === String(count)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`  generating ${count} small files in ${dir}`);
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, `d${i % 1000}`);
    if (i < 1000) fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `file-${i}.txt`), `small file ${i % 50_000}\n`);
  }
  fs.writeFileSync(marker, String(count));
}

const tree = path.join(benchDir, 'tree');
generateTree(tree, files, totalBytes);
const treeBytes = Number(execFileSync('du', ['-sb', tree], { encoding: 'utf8' }).split('\t')[0]);
const shape = `${files} files, ${(treeBytes / 1e9).toFixed(2)} GB, ${Math.round(dupShare * 100)}% duplicated`;

// Warm the page cache and the reference tools once.
execFileSync('sh', ['-c', `find "${tree}" -type f -print0 | xargs -0 cat > /dev/null`]);

// 1. Ad-hoc scan + duplicate report vs jdupes -r.
const jdupes = best(runs, () => timeCommand('jdupes', ['-r', '-q', tree]));
let ours = best(runs, () => reconcile(['scan', tree, '--duplicates', '--json', '--quiet'], freshDir('data-dups')));
const ourGroups = (JSON.parse(ours.stdout).findings as { paths: string[] }[]).map((group) => group.paths.slice().sort().join('\n')).sort();
const sameGroups = JSON.stringify(ourGroups) === JSON.stringify(jdupesGroups(jdupes.stdout));
record({
  bench,
  metric: 'scan + duplicate report vs jdupes -r',
  value: ours.seconds / jdupes.seconds,
  unit: '×',
  target: '≤ 1.0×',
  pass: ours.seconds <= jdupes.seconds && sameGroups,
  detail: `${ours.seconds.toFixed(2)} s vs ${jdupes.seconds.toFixed(2)} s; ${ourGroups.length} groups, ${sameGroups ? 'same as jdupes' : 'DIFFERENT from jdupes'}; ${shape}`,
});

// 2. Rescan of the unchanged tree vs a find stat walk (reuses the catalog of the last run above).
const find = best(3, () => timeCommand('sh', ['-c', `find "${tree}" -printf '%s %T@ %p\\n' > /dev/null`]));
const rescan = best(3, () => reconcile(['scan', tree, '--json', '--quiet'], path.join(benchDir, 'data-dups')));
const rescanSummary = JSON.parse(rescan.stdout) as { bytesRead: number; changed: number; added: number };
record({
  bench,
  metric: 'rescan unchanged tree vs find -printf',
  value: rescan.seconds / find.seconds,
  unit: '×',
  target: '≤ 4×, 0 bytes read',
  pass: rescan.seconds <= 4 * find.seconds && rescanSummary.bytesRead === 0,
  detail: `${rescan.seconds.toFixed(2)} s vs ${find.seconds.toFixed(2)} s; ${rescanSummary.bytesRead} bytes read, ${rescanSummary.changed + rescanSummary.added} rows written`,
});

// 3. Hash everything: scan --full vs xxhsum -H2.
const xxhsum = best(runs, () => timeCommand('sh', ['-c', `find "${tree}" -type f -print0 | xargs -0 xxhsum -H2 > /dev/null`]));
ours = best(runs, () => reconcile(['scan', tree, '--full', '--json', '--quiet'], freshDir('data-full')));
record({
  bench,
  metric: 'scan --full vs xxhsum -H2',
  value: ours.seconds / xxhsum.seconds,
  unit: '×',
  target: '≤ 1.5×',
  pass: ours.seconds <= 1.5 * xxhsum.seconds,
  detail: `${ours.seconds.toFixed(2)} s vs ${xxhsum.seconds.toFixed(2)} s; ${shape}`,
});

// 4. Many files: peak memory of a scan, and the catalog's insert rate (BENCH_MANY_FILES=0 skips this).
if (manyFiles > 0) measureManyFiles();

function measureManyFiles(): void {
  const many = path.join(benchDir, `many-${manyFiles}`);
  generateManyFiles(many, manyFiles);
  const manyScan = reconcile(['scan', many, '--json', '--quiet'], freshDir('data-many'));
  const manySummary = JSON.parse(manyScan.stdout) as { entriesSeen: number };
  record({
    bench,
    metric: `peak RSS scanning ${manyFiles} files`,
    value: Math.round(manyScan.maxRssBytes / 1e6),
    unit: 'MB',
    target: '≤ 400 MB',
    pass: manyScan.maxRssBytes <= 400e6,
    detail: `${manySummary.entriesSeen} entries in ${manyScan.seconds.toFixed(1)} s (${Math.round(manySummary.entriesSeen / manyScan.seconds)} entries/s end to end)`,
  });
  record({ bench, metric: 'catalog inserts', ...measureInserts(manyFiles), unit: 'rows/s', target: '≥ 200000 rows/s' });
}

/**
 * The catalog writer alone on synthetic entries, as a first scan runs it: secondary indexes
 * dropped, 20000-row transactions, indexes rebuilt at the end (included in the time).
 */
function measureInserts(count: number): { value: number; pass: boolean; detail: string } {
  const db = openDatabase(path.join(freshDir('data-inserts'), 'reconcile.db'));
  db.prepare(`INSERT INTO Source (id, kind, class, landing, root) VALUES ('bench', 'adhoc', 'local', '/bench', '/bench')`).run();
  const scanId = Number(db.prepare('INSERT INTO ScanRun (startedAtNs) VALUES (0)').run().lastInsertRowid);
  const writer = new CatalogWriter(db, scanId, 'bench', undefined);
  const stat = { size: 1234n, mtimeNs: 1_700_000_000_000_000_000n, ctimeNs: 1_700_000_000_000_000_000n, birthtimeNs: 0n, mode: 33188n, uid: 0n, gid: 0n, dev: 2049n, ino: 0n, nlink: 1n };
  const started = performance.now();
  dropEntryIndexes(db);
  const batch = db.transaction((from: number) => {
    for (let i = from; i < Math.min(from + 20_000, count); i++) {
      const relPath = Buffer.from(`d${i % 1000}/file-${i}.txt`);
      const entry = { relPath, absPath: relPath, type: 'file', stat: { ...stat, ino: BigInt(i) } } as unknown as WalkedEntry;
      writer.write(entry, () => {});
    }
  });
  for (let from = 0; from < count; from += 20_000) batch.immediate(from);
  restoreEntryIndexes(db);
  const seconds = (performance.now() - started) / 1000;
  db.close();
  const rate = Math.round(count / seconds);
  return { value: rate, pass: rate >= 200_000, detail: `${count} rows in ${seconds.toFixed(2)} s, index rebuild included` };
}
