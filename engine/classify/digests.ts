/**
 * Reading ahead for classification. Origin matching confirms counterparts by the inventory's hash
 * (a cloud SHA-1, MD5 or QuickXorHash, or an XXH128 the scan did not compute); classification is
 * synchronous and would read those files one at a time on the main thread. This pre-pass gathers
 * the reads it will ask for and runs them on the hash workers first. A result is used only while the
 * file is still what the catalog says (lstat: device, inode, size, mtime); anything else (a read
 * error, a file changed or gone since) is read again where it is needed, so classification answers
 * exactly as it would without the pre-pass.
 */
import fs from 'node:fs';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { HashPool, type DigestKind, type HashTask } from '../hash/index.ts';
import { CatalogView, type EntryRow } from './catalog.ts';
import { countHashedOriginEntries, hashedOriginEntries, originEntryById } from './origin-entries.ts';
import { counterpart, preferredHash, sameSizeAndName } from './origin-match.ts';

type ReadKind = 'full' | DigestKind;

/** What a file was when its digest was computed: the digest holds while all four still agree. */
interface Identity {
  size: bigint;
  mtimeNs: bigint;
  dev: bigint;
  ino: bigint;
}

export class PrecomputedDigests {
  private readonly digests = new Map<string, Identity & { value: string }>();

  set(key: string, kind: ReadKind, row: Identity, value: string): void {
    this.digests.set(`${kind}\0${key}`, { size: row.size, mtimeNs: row.mtimeNs, dev: row.dev, ino: row.ino, value });
  }

  /** The digest computed ahead, when the row and the file on disk still match it; else undefined (read it now). */
  get(key: string, kind: ReadKind, row: EntryRow, rawPath: Buffer): string | undefined {
    const digest = this.digests.get(`${kind}\0${key}`);
    if (!digest || !sameIdentity(digest, row)) return undefined;
    const now = lstat(rawPath);
    return now && sameIdentity(digest, now) ? digest.value : undefined;
  }

  get size(): number {
    return this.digests.size;
  }
}

/** The file's identity now; undefined when it cannot be had (gone, a folder above replaced, …): the read says why. */
function lstat(rawPath: Buffer): Identity | undefined {
  try {
    return fs.lstatSync(rawPath, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.dev === b.dev && a.ino === b.ino;
}

export interface DigestProgress {
  /** Origin entries with a hash whose counterparts were found and read so far, of `total`. */
  done: number;
  total: number;
  /** Bytes read. */
  bytes: number;
}

/**
 * Computes on the hash workers the digests origin matching will need: counterparts of origin
 * entries of the same size whose inventory hash decides, and the same-size, same-name files that
 * stand in for an origin entry with no counterpart. The main thread finds them while the workers
 * read; nothing is read when no inventory carries a hash the catalog lacks.
 */
export async function precomputeDigests(
  db: Db,
  config: Config,
  options: { pool?: HashPool; onProgress?: (progress: DigestProgress) => void } = {},
): Promise<PrecomputedDigests> {
  const precomputed = new PrecomputedDigests();
  const catalog = new CatalogView(db, config);
  const reads = new Map<number, Read>();
  const gathered = { origins: 0 };
  const tasks = neededReads(catalog, reads, gathered);
  const first = tasks.next();
  if (first.done) return precomputed;
  const progress: DigestProgress = { done: 0, total: countHashedOriginEntries(db), bytes: 0 };
  options.onProgress?.({ ...progress });
  const pool = options.pool ?? new HashPool();
  try {
    await pool.run(
      (function* () {
        yield first.value;
        yield* tasks;
      })(),
      (results) => {
        for (const result of results) {
          const read = reads.get(result.id)!;
          reads.delete(result.id);
          const value = read.kind === 'full' ? result.full : result.digest;
          // Failures are not kept: the read at classification time reports them as it always has.
          if (!result.errorCode && value) precomputed.set(read.key, read.kind, read, value);
          progress.bytes += result.bytesRead;
        }
        // The search runs at most a few batches ahead of the reads (the pool's backpressure).
        progress.done = Math.min(gathered.origins, progress.total);
        options.onProgress?.({ ...progress });
      },
    );
  } finally {
    if (!options.pool) await pool.close();
  }
  options.onProgress?.({ ...progress, done: progress.total });
  return precomputed;
}

/** What a read needs to know of a catalog entry. */
type LandedFile = Pick<EntryRow, 'sourceId' | 'relPath' | 'type' | 'size' | 'mtimeNs' | 'dev' | 'ino' | 'fullHash' | 'errorCode'>;

interface Read extends Identity {
  key: string;
  kind: ReadKind;
}

/**
 * The reads matchOrigin and contentInSpace will ask CatalogView.hash for, each file and kind once,
 * as hash tasks; `reads` holds each task's file by its id until the result arrives, `gathered`
 * counts the origin entries looked at.
 */
function* neededReads(catalog: CatalogView, reads: Map<number, Read>, gathered: { origins: number }): Generator<HashTask> {
  const seen = new Set<string>();
  const need = (row: LandedFile, kind: 'xxh128' | DigestKind): HashTask | undefined => {
    if (row.type !== 'file' || row.errorCode || (kind === 'xxh128' && row.fullHash)) return undefined;
    const readKind = kind === 'xxh128' ? 'full' : kind;
    const path = catalog.rawPath(row);
    // CatalogView.key, from the path already built.
    const key = path.toString('latin1');
    if (seen.has(`${readKind}\0${key}`)) return undefined;
    seen.add(`${readKind}\0${key}`);
    reads.set(seen.size, { key, kind: readKind, size: row.size, mtimeNs: row.mtimeNs, dev: row.dev, ino: row.ino });
    return { id: seen.size, path, kind: readKind, size: row.size, dev: row.dev, ino: row.ino };
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
