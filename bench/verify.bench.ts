/**
 * Verify benchmark (issue 15): `reconcile verify` of the whole space after a run that archived the
 * extra copies of every duplicate, warm page cache, against its anchor in the same run: `xxhsum -H2`
 * over the bytes verify must re-read (what the run moved) plus an unchanged rescan. Targets:
 * verify ≤ 1.5× that anchor; peak RSS ≤ 500 MB (the goal is stated at 2M files: run with
 * BENCH_VERIFY_FILES=2000000 for it). Verify must say complete: the run lost nothing.
 *
 * Sizes: BENCH_VERIFY_FILES (200000), BENCH_VERIFY_DUP (0.2 of the files copy an earlier one),
 * BENCH_VERIFY_KB (largest file, 16 KiB; sizes are spread from 1 KiB up to it); BENCH_QUICK=1 shrinks them.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../engine/db/index.ts';
import { freshDir, quick, reconcile, record, timeCommand } from './lib.ts';

const bench = 'verify';
const fileCount = Number(process.env.BENCH_VERIFY_FILES ?? (quick ? 10_000 : 200_000));
const dupShare = Number(process.env.BENCH_VERIFY_DUP ?? 0.2);
const maxKb = Math.max(2, Number(process.env.BENCH_VERIFY_KB ?? 16));

const root = freshDir('verify');
const space = path.join(root, 'space');
const dataDir = path.join(root, 'data');
const configFile = path.join(root, 'reconcile.yaml');
fs.writeFileSync(configFile, `space: ${space}\nsources:\n  - { id: mac, kind: rsync, class: local, landing: mike }\n`);

// Sizes from 1 KiB to BENCH_VERIFY_KB cut from one random pool: distinct offsets make distinct contents.
console.log(`  generating ${fileCount} files (${Math.round(dupShare * 100)}% duplicates) in ${space}`);
const pool = crypto.randomBytes(64 << 20);
let seed = 4242;
const random = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const originals: { offset: number; size: number }[] = [];
let bytes = 0;
for (let index = 0; index < fileCount; index++) {
  const folder = path.join(space, 'mike', `d${index % 500}`);
  if (index < 500) fs.mkdirSync(folder, { recursive: true });
  let piece: { offset: number; size: number };
  if (originals.length > 0 && random() < dupShare) piece = originals[Math.floor(random() * originals.length)]!;
  else {
    const size = 1024 + Math.floor(random() * (maxKb - 1) * 1024);
    piece = { offset: Math.floor(random() * (pool.length - size)), size };
    originals.push(piece);
  }
  bytes += piece.size;
  fs.writeFileSync(path.join(folder, `f${index}.bin`), pool.subarray(piece.offset, piece.offset + piece.size));
}

const scan = reconcile(['--config', configFile, '--quiet', 'scan'], dataDir);
console.log(`  first scan ${scan.seconds.toFixed(1)} s, ${(bytes / 1e9).toFixed(2)} GB`);

// A finished run that archived every copy but the first of each duplicate group, as apply leaves it.
const db = openDatabase(path.join(dataDir, 'reconcile.db'));
const runId = '20261203T000000Z-bench0';
const archive = path.join(space, 'archive/reconciliation', runId);
const groups = db
  .prepare(
    `SELECT e.fullHash AS hash, e.size, e.mtimeNs, e.relPath FROM Entry e
      WHERE e.fullHash IN (SELECT fullHash FROM Entry WHERE fullHash IS NOT NULL AND type = 'file' GROUP BY fullHash HAVING COUNT(*) > 1)
      ORDER BY e.fullHash, e.relPath`,
  )
  .safeIntegers(true)
  .all() as { hash: string; size: bigint; mtimeNs: bigint; relPath: Buffer }[];
const insertOperation = db.prepare(
  `INSERT INTO Operation (runId, id, seq, decisionKey, findingId, op, fromPath, fromRaw, toPath, toRaw, expectSize, expectMtimeNs, expectHash, status)
   VALUES (?, ?, ?, ?, ?, 'move', ?, ?, ?, ?, ?, ?, ?, 'done')`,
);
let moves = 0;
let movedBytes = 0;
db.transaction(() => {
  db.prepare(
    `INSERT INTO ApplyRun (id, opsHash, status, createdBy, createdAt, journalPath, opCount, doneCount) VALUES (?, 'bench', 'succeeded', 'bench', ?, ?, 0, 0)`,
  ).run(runId, new Date().toISOString(), path.join(space, 'journal/reconciliation', runId, 'journal.jsonl'));
  let previous = '';
  for (const row of groups) {
    const keeper = row.hash !== previous;
    previous = row.hash;
    if (keeper) continue;
    const from = path.join(space, 'mike', row.relPath.toString());
    const to = path.join(archive, 'mike', row.relPath.toString());
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(from, to);
    insertOperation.run(runId, `op-${moves}`, moves, `key-${row.hash}`, `duplicate-${row.hash}`, from, Buffer.from(from), to, Buffer.from(to), row.size, row.mtimeNs, row.hash);
    moves += 1;
    movedBytes += Number(row.size);
  }
  db.prepare('UPDATE ApplyRun SET opCount = ?, doneCount = ? WHERE id = ?').run(moves, moves, runId);
})();
db.close();
console.log(`  run ${runId}: ${moves} duplicates archived (${(movedBytes / 1e6).toFixed(0)} MB)`);

// Warm the page cache the way verify will find it, then time the anchors and verify.
execFileSync('sh', ['-c', `find "${archive}" -type f -print0 | xargs -0 cat > /dev/null`]);
const xxhsum = timeCommand('sh', ['-c', `find "${archive}" -type f -print0 | xargs -0 xxhsum -H2 > /dev/null`]);
const rescan = reconcile(['--config', configFile, '--quiet', 'scan'], dataDir);
const verified = reconcile(['--config', configFile, '--json', '--quiet', 'verify'], dataDir);
const result = JSON.parse(verified.stdout) as { outcome: string; read: { files: number; bytes: number }; conservation: { contents: number } };
if (result.outcome !== 'complete') throw new Error(`verify said ${result.outcome}: ${verified.stdout.slice(0, 2000)}`);
const anchor = xxhsum.seconds + rescan.seconds;
const ratio = verified.seconds / anchor;
record({ bench, metric: 'verify of the space (files, moved, contents)', value: fileCount, unit: 'files', detail: `${moves} moved by the run, ${result.conservation.contents} contents, read ${result.read.files} files / ${(result.read.bytes / 1e6).toFixed(0)} MB` });
record({
  bench,
  metric: 'verify vs xxhsum -H2 over the moved bytes + rescan',
  value: Number(ratio.toFixed(2)),
  unit: '×',
  target: '≤ 1.5×',
  pass: ratio <= 1.5,
  detail: `verify ${verified.seconds.toFixed(2)} s; xxhsum ${xxhsum.seconds.toFixed(2)} s + rescan ${rescan.seconds.toFixed(2)} s`,
});
const peakMb = verified.maxRssBytes / 1e6;
record({ bench, metric: `verify peak RSS at ${fileCount} files`, value: Math.round(peakMb), unit: 'MB', target: '≤ 500 MB', pass: peakMb <= 500 });
const runScoped = reconcile(['--config', configFile, '--json', '--quiet', 'verify', runId], dataDir);
record({ bench, metric: 'verify of the run (its moves always re-read)', value: Number(runScoped.seconds.toFixed(2)), unit: 's', detail: `peak RSS ${Math.round(runScoped.maxRssBytes / 1e6)} MB` });
