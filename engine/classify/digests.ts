/**
 * Reading ahead for classification, and keeping what was read. Origin matching confirms
 * counterparts by the inventory's hash (a cloud SHA-1, MD5 or QuickXorHash, or an XXH128 the scan
 * did not compute); classification is synchronous and would read those files one at a time on the
 * main thread. This pre-pass gathers the reads it will ask for, runs them on the hash workers and
 * keeps each digest in the catalog (ContentDigest) with the file's identity, so the next plan reads
 * only files that changed. A digest is used only while the file is still what the catalog says and
 * what it was when read (device, inode, size, mtime, ctime: the worker's fstat before the read, an
 * lstat at use); anything else (a read error, a file changed or gone since) is read again where it
 * is needed, so classification answers exactly as it would without the pre-pass.
 */
import type { Config } from '../config/index.ts';
import { openDatabase, type Db } from '../db/index.ts';
import { HashPool, type DigestKind, type HashResult, type HashTask } from '../hash/index.ts';
import { CatalogView, type EntryRow } from './catalog.ts';
import { DigestStore, type ReadKind } from './digest-store.ts';
import { countHashedOriginEntries, hashedOriginEntries, originEntryById } from './origin-entries.ts';
import { counterpart, preferredHash, sameSizeAndName } from './origin-match.ts';

export interface DigestProgress {
  /** Origin entries with a hash whose counterparts were found and read so far, of `total`. */
  done: number;
  total: number;
  /** Bytes read. */
  bytes: number;
}

export interface DigestSummary {
  /** Files read on the hash workers, and files whose kept digest still held. */
  read: number;
  kept: number;
  bytes: number;
}

/**
 * Computes on the hash workers the digests origin matching will need and keeps them: counterparts
 * of origin entries of the same size whose inventory hash decides, and the same-size, same-name
 * files that stand in for an origin entry with no counterpart. The main thread finds them while the
 * workers read; nothing is read when no inventory carries a hash the catalog lacks, or when every
 * digest needed is kept from an earlier plan. Digests of files the catalog no longer has are dropped.
 */
export async function precomputeDigests(
  db: Db,
  config: Config,
  options: { pool?: HashPool; onProgress?: (progress: DigestProgress) => void } = {},
): Promise<DigestSummary> {
  const summary: DigestSummary = { read: 0, kept: 0, bytes: 0 };
  // An in-memory catalog has no second connection to keep digests through (below): nothing is read ahead for it.
  if (db.memory) return summary;
  const reads = new Map<number, Read>();
  const gathered = { origins: 0 };
  const tasks = neededReads(new CatalogView(db, config), reads, gathered, summary);
  const first = tasks.next();
  if (!first.done) {
    const progress: DigestProgress = { done: 0, total: countHashedOriginEntries(db), bytes: 0 };
    options.onProgress?.({ ...progress });
    // The search streams from an open read statement, which allows no write on its connection: the
    // digests go in through a second one (WAL lets both proceed).
    const writer = openDatabase(db.name, { migrate: false });
    const keep = writer.prepare('INSERT OR REPLACE INTO ContentDigest (dev, ino, kind, size, mtimeNs, ctimeNs, value) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const pool = options.pool ?? new HashPool();
    try {
      await pool.run(
        (function* () {
          yield first.value;
          yield* tasks;
        })(),
        writer.transaction((results: HashResult[]) => {
          for (const result of results) {
            const read = reads.get(result.id)!;
            reads.delete(result.id);
            const value = read.kind === 'full' ? result.full : result.digest;
            // Failures are not kept: the read at classification time reports them as it always has.
            if (!result.errorCode && value && result.times) keep.run(read.dev, read.ino, read.kind, read.size, result.times.mtimeNs, result.times.ctimeNs, value);
            summary.read++;
            summary.bytes += result.bytesRead;
          }
          // The search runs at most a few batches ahead of the reads (the pool's backpressure).
          options.onProgress?.({ done: Math.min(gathered.origins, progress.total), total: progress.total, bytes: summary.bytes });
        }),
      );
    } finally {
      writer.close();
      if (!options.pool) await pool.close();
    }
    options.onProgress?.({ done: progress.total, total: progress.total, bytes: summary.bytes });
  }
  // The search is over, so its own connection may write again.
  db.prepare('DELETE FROM ContentDigest WHERE NOT EXISTS (SELECT 1 FROM Entry e WHERE e.dev = ContentDigest.dev AND e.ino = ContentDigest.ino AND e.removedScanId IS NULL)').run();
  return summary;
}

/** What a read needs to know of a catalog entry. */
type LandedFile = Pick<EntryRow, 'sourceId' | 'relPath' | 'type' | 'size' | 'mtimeNs' | 'dev' | 'ino' | 'fullHash' | 'errorCode'>;

/** A file sent to the workers (its digest is kept under it, with the times the worker found). */
type Read = Pick<EntryRow, 'dev' | 'ino' | 'size'> & { kind: ReadKind };

/**
 * The reads matchOrigin and contentInSpace will ask CatalogView.hash for, each physical file and
 * kind once, as hash tasks; files whose kept digest still holds are counted in `summary.kept`
 * instead. `reads` holds each task's file by its id until the result arrives, `gathered` counts
 * the origin entries looked at.
 */
function* neededReads(catalog: CatalogView, reads: Map<number, Read>, gathered: { origins: number }, summary: DigestSummary): Generator<HashTask> {
  const store = new DigestStore(catalog.db);
  // Inodes already looked at, per kind and device (bigints: a few dozen bytes per file).
  const seen = new Map<string, Set<bigint>>();
  let taskId = 0;
  const need = (row: LandedFile, kind: 'xxh128' | DigestKind): HashTask | undefined => {
    if (row.type !== 'file' || row.errorCode || (kind === 'xxh128' && row.fullHash)) return undefined;
    const readKind = kind === 'xxh128' ? 'full' : kind;
    const device = `${readKind}:${row.dev}`;
    let inodes = seen.get(device);
    if (!inodes) seen.set(device, (inodes = new Set()));
    if (inodes.has(row.ino)) return undefined;
    inodes.add(row.ino);
    // Kept for the file as the catalog describes it; classification checks it against the disk.
    if (store.kept(readKind, row)) {
      summary.kept++;
      return undefined;
    }
    reads.set(++taskId, { kind: readKind, dev: row.dev, ino: row.ino, size: row.size });
    return { id: taskId, path: catalog.rawPath(row), kind: readKind, size: row.size, dev: row.dev, ino: row.ino, withTimes: true };
  };
  const originEntry = originEntryById(catalog.db);
  for (const hashed of hashedOriginEntries(catalog.db)) {
    gathered.origins++;
    const wanted = preferredHash(hashed)!;
    // Mostly found in the same source at the same path; elsewhere (a containing landing, another
    // normalisation of the name) or nowhere, as matchOrigin and contentInSpace look.
    const origin = hashed.relPath === null ? originEntry(hashed.originId)! : null;
    const row = origin ? counterpart(catalog, origin) : (hashed as LandedFile);
    const candidates = row ? (row.size === hashed.originSize ? [row] : []) : wanted.kind === 'xxh128' ? [] : sameSizeAndName(catalog, origin!);
    for (const candidate of candidates) {
      const task = need(candidate, wanted.kind);
      if (task) yield task;
    }
  }
}
