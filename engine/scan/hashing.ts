/**
 * Staged hashing, as fclones does it: only files that could still have a twin are read further.
 * size groups (≥ 2 distinct inodes) → head hash (16 KiB) → tail hash (files > 1 MiB) → full hash.
 * Files up to 32 KiB skip the head stage: a head read costs half a full read there, and a second
 * open for the twins costs more than that. (128 KiB was measured worse: coincidental size twins
 * are common among small files, and reading them whole cost more than the head stage saved.)
 * Hard links of one inode are read once; the hash is written to every link. With `full`, every
 * file gets a full hash. Candidates span the whole catalog, so twins across sources are found.
 * Each stage reads its files in device and inode order.
 */
import type { Db } from '../db/index.ts';
import { EDGE_BYTES, EMPTY_XXH128, HashPool, TAIL_MIN_SIZE, type HashKind, type HashResult, type HashTask } from '../hash/index.ts';
import { HashSaver, type HashTotals } from './saver.ts';

export interface HashProgress {
  stage: HashKind;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface HashOptions {
  full: boolean;
  /** Started on the first file to read: the queries often find none. */
  pool: () => HashPool;
  onProgress(progress: HashProgress): void;
  /** Called right before files are handed to the workers (tests remove files here). */
  beforeHash?(paths: Uint8Array[]): void;
}

const CURRENT_FILE = `type = 'file' AND removedScanId IS NULL AND errorCode IS NULL AND size > 0`;
/** Candidates up to this size go straight to the full hash. */
export const DIRECT_FULL_MAX = 32 * 1024;
/** Small files are grouped by size alone (some carry a head hash from a full read, some not). */
const HEAD_KEY = `CASE WHEN size <= ${DIRECT_FULL_MAX} THEN '' ELSE headHash END`;
/** Groups with at least two distinct inodes can hold duplicates. */
const MANY_INODES = `COUNT(DISTINCT dev || ':' || ino) > 1`;

const stageQueries: Record<HashKind, (full: boolean) => string> = {
  head: () => `
    SELECT min(id) AS id, count(*) AS rowCount, dev, ino FROM Entry
    WHERE ${CURRENT_FILE} AND size > ${DIRECT_FULL_MAX} AND headHash IS NULL AND fullHash IS NULL
      AND size IN (SELECT size FROM Entry WHERE ${CURRENT_FILE} AND size > ${DIRECT_FULL_MAX} GROUP BY size HAVING ${MANY_INODES})
    GROUP BY dev, ino, size`,
  tail: () => `
    SELECT min(id) AS id, count(*) AS rowCount, dev, ino FROM Entry
    WHERE ${CURRENT_FILE} AND size > ${TAIL_MIN_SIZE} AND tailHash IS NULL AND fullHash IS NULL
      AND (size, headHash) IN (SELECT size, headHash FROM Entry WHERE ${CURRENT_FILE} AND size > ${TAIL_MIN_SIZE}
        AND headHash IS NOT NULL GROUP BY size, headHash HAVING ${MANY_INODES})
    GROUP BY dev, ino, size`,
  full: (full) =>
    full
      ? `SELECT min(id) AS id, count(*) AS rowCount, dev, ino FROM Entry WHERE ${CURRENT_FILE} AND fullHash IS NULL GROUP BY dev, ino, size`
      : `
    SELECT min(id) AS id, count(*) AS rowCount, dev, ino FROM Entry
    WHERE ${CURRENT_FILE} AND fullHash IS NULL
      AND (size, ${HEAD_KEY}, ifnull(tailHash, '')) IN (SELECT size, ${HEAD_KEY}, ifnull(tailHash, '') FROM Entry
        WHERE ${CURRENT_FILE} AND (size <= ${DIRECT_FULL_MAX} OR headHash IS NOT NULL)
        GROUP BY size, ${HEAD_KEY}, ifnull(tailHash, '') HAVING ${MANY_INODES})
    GROUP BY dev, ino, size`,
};

const PAGE = 2000;

export async function hashCandidates(db: Db, options: HashOptions): Promise<HashTotals> {
  const saver = new HashSaver(db);
  const stages: HashKind[] = options.full ? ['full'] : ['head', 'tail', 'full'];
  // Only ids are kept (paths are looked up a page at a time), so a million candidates stay small.
  // rowCount: catalog rows sharing the inode (hard links, or two sources landing in one folder).
  // seq: the read order, by device and inode — on a cold disk, roughly where the data lies (as
  // fclones orders its reads), instead of the order the walk met the files.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS hash_reads (seq INTEGER PRIMARY KEY, id INTEGER NOT NULL, rowCount INTEGER NOT NULL)');
  const page = db
    .prepare(
      `SELECT t.seq, t.id, t.rowCount, CAST(CAST(s.root AS BLOB) || X'2F' || e.relPath AS BLOB) AS abs, e.size, e.dev, e.ino
       FROM temp.hash_reads t JOIN Entry e ON e.id = t.id JOIN Source s ON s.id = e.sourceId
       WHERE t.seq > ? ORDER BY t.seq LIMIT ?`,
    )
    .safeIntegers(true);
  if (options.full) {
    // The hash of no bytes needs no read.
    db.prepare(`UPDATE Entry SET fullHash = ? WHERE type = 'file' AND removedScanId IS NULL AND errorCode IS NULL AND size = 0 AND fullHash IS NULL`).run(
      EMPTY_XXH128,
    );
  }
  for (const stage of stages) {
    db.exec('DELETE FROM temp.hash_reads');
    db.exec(`INSERT INTO temp.hash_reads (id, rowCount) SELECT id, rowCount FROM (${stageQueries[stage](options.full)}) ORDER BY dev, ino`);
    const { files, bytes } = db
      .prepare('SELECT count(*) AS files, ifnull(sum(e.size), 0) AS bytes FROM temp.hash_reads t JOIN Entry e ON e.id = t.id')
      .get() as {
      files: number;
      bytes: number;
    };
    if (files === 0) continue;
    const progress: HashProgress = { stage, filesDone: 0, filesTotal: files, bytesDone: 0, bytesTotal: stage === 'full' ? bytes : Math.min(bytes, files * EDGE_BYTES) };
    options.onProgress(progress);
    async function* tasks(): AsyncGenerator<HashTask> {
      let after = 0n;
      for (;;) {
        const rows = page.all(after, PAGE) as { seq: bigint; id: bigint; rowCount: bigint; abs: Buffer; size: bigint; dev: bigint; ino: bigint }[];
        if (rows.length === 0) return;
        after = rows[rows.length - 1]!.seq;
        options.beforeHash?.(rows.map((row) => row.abs));
        for (const row of rows) {
          const task: HashTask = { id: Number(row.id), path: row.abs, kind: stage, size: row.size, dev: row.dev, ino: row.ino };
          saver.expect(task, row.rowCount > 1n);
          yield task;
        }
      }
    }
    await options.pool().run(tasks(), (results: HashResult[]) => {
      saver.accept(results, (task) => {
        progress.filesDone++;
        progress.bytesDone += stage === 'full' ? Number(task.size) : Math.min(Number(task.size), EDGE_BYTES);
      });
      options.onProgress(progress);
    });
    saver.flush();
  }
  db.exec('DELETE FROM temp.hash_reads');
  return saver.totals;
}
