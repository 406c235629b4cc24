/**
 * The scan stage: walk sources into the catalog, then hash what could be duplicated.
 * Public surface of engine/scan; `scan()` is what the CLI and background jobs call.
 */
import fs from 'node:fs';
import { UserError } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { HashPool } from '../hash/index.ts';
import { HASH_INDEXES, dropEntryIndexes, isCatalogEmpty, restoreEntryIndexes } from './bulk.ts';
import { hashCandidates } from './hashing.ts';
import { inspectEntry } from './inspect.ts';
import { ProgressTracker, type ScanProgress } from './progress.ts';
import { upsertSource, type ScanSource } from './sources.ts';
import type { ScanProblem, ScanSummary } from './summary.ts';
import { Walkers, walkInBatches, type WalkBatch } from './batches.ts';
import type { WalkHooks, WalkedEntry } from './walk.ts';
import { WalkHasher } from './walk-hashing.ts';
import { CatalogWriter } from './writer.ts';

export { configuredSources, adhocSources, upsertSource, recoverySourceId, recoveryFolder, type ScanSource } from './sources.ts';
export { walk, type WalkedEntry } from './walk.ts';
export type { ScanProgress } from './progress.ts';
export type { ScanProblem, ScanSummary } from './summary.ts';

export interface ScanHooks extends WalkHooks {
  /** Called right before files are handed to the hash workers (tests remove files here). */
  beforeHash?(paths: Uint8Array[]): void;
}

export interface ScanOptions {
  sources: ScanSource[];
  /** Hash every file fully (integrity audit), not only duplicate candidates. */
  full?: boolean;
  /** Record extended-attribute names of new and changed entries (default true). */
  xattrs?: boolean;
  /** When run as a background job: progress is also written to Job.progressJson. */
  jobId?: number;
  onProgress?(progress: ScanProgress): void;
  /** Runs for each source once the walks are done, before hashing (the inventory stage imports manifests and logs here). */
  afterWalk?(source: ScanSource): void | Promise<void>;
  hashWorkers?: number;
  hooks?: ScanHooks;
}

const TRANSACTION_ENTRIES = 20_000;
const PROBLEMS_KEPT = 50;

export async function scan(db: Db, requested: ScanOptions): Promise<ScanSummary> {
  const { present, emptied } = presentSources(db, requested.sources);
  const options = { ...requested, sources: present };
  const started = Date.now();
  const startedAtNs = BigInt(started) * 1_000_000n;
  const scanId = Number(
    db
      .prepare('INSERT INTO ScanRun (jobId, sourcesJson, startedAtNs, startedAt, full) VALUES (?, ?, ?, ?, ?)')
      .run(options.jobId ?? null, JSON.stringify(options.sources.map((source) => source.id)), startedAtNs, new Date(started).toISOString(), options.full ? 1 : 0)
      .lastInsertRowid,
  );
  const summary: ScanSummary = {
    scanId,
    sources: options.sources.map((source) => source.id),
    entriesSeen: 0,
    bytesSeen: 0,
    added: 0,
    changed: 0,
    removed: 0,
    racy: 0,
    contentChanged: 0,
    unreadable: 0,
    skipped: 0,
    vanished: 0,
    filesHashed: 0,
    bytesRead: 0,
    durationMs: 0,
    problems: [],
  };
  const tracker = new ProgressTracker(db, scanId, options.jobId, summary, options.onProgress);
  const problem = (entry: ScanProblem) => {
    if (summary.problems.length < PROBLEMS_KEPT) summary.problems.push(entry);
  };
  const previousScansComplete = options.sources.every(
    (source) =>
      db.prepare(`SELECT r.status FROM Source s JOIN ScanRun r ON r.id = s.lastScanId WHERE s.id = ?`).pluck().get(source.id) === 'succeeded',
  );
  // Files are read while the walk goes on: every one (full), or those with a twin so far.
  // Workers start with the first file to read: an unchanged rescan starts none.
  let pool: HashPool | undefined;
  const hashPool = () => (pool ??= new HashPool({ workers: options.hashWorkers }));
  const walkHasher = new WalkHasher(db, hashPool, options.full ? 'full' : 'candidates', options.hooks?.beforeHash, {
    onResults: (totals) => {
      summary.filesHashed = totals.filesHashed;
      summary.bytesRead = totals.bytesRead;
    },
    onContentChange: (change) => {
      summary.contentChanged++;
      problem({ sourceId: '', path: change.path, code: 'ECONTENT', message: `content changed (stored ${change.storedHash}, now ${change.hash}) while size, mtime and ctime did not` });
    },
  });
  const walkers = new Walkers();
  restoreEntryIndexes(db);
  const bulk = isCatalogEmpty(db);
  if (bulk) dropEntryIndexes(db);
  try {
    for (const source of options.sources) {
      upsertSource(db, source);
      await walkSource(db, source, { scanId, options, summary, tracker, problem, walkHasher, walkers });
    }
    // A recovery folder that is gone (its files placed, the folder removed) holds nothing any more.
    for (const sourceId of emptied) {
      summary.removed += db.prepare('UPDATE Entry SET removedScanId = ? WHERE sourceId = ? AND removedScanId IS NULL').run(scanId, sourceId).changes;
    }
    // Imports look entries up by path: the indexes are back first.
    await walkers.close();
    if (bulk) restoreEntryIndexes(db, HASH_INDEXES);
    for (const source of options.sources) await options.afterWalk?.(source);
    const walkHashed = await walkHasher.finish();
    // Nothing new or changed after complete scans: no file can have become a duplicate candidate.
    const unchanged = summary.added + summary.changed + summary.racy === 0 && previousScansComplete && !options.full;
    // A first scan wrote every row of the catalog: when the walk settled all of them, the stages have nothing left.
    const settled = unchanged || (bulk && walkHasher.settledItsRows);
    const hashed = settled ? { filesHashed: 0, bytesRead: 0, errors: [] } : await hashCandidates(db, {
      full: options.full === true,
      pool: hashPool,
      beforeHash: options.hooks?.beforeHash,
      onProgress: (progress) => tracker.hashing(progress),
    });
    summary.filesHashed = hashed.filesHashed + walkHashed.filesHashed;
    summary.bytesRead = hashed.bytesRead + walkHashed.bytesRead;
    for (const error of [...walkHashed.errors, ...hashed.errors]) {
      summary.unreadable++;
      problem({ sourceId: '', path: error.path, code: error.code, message: error.message });
    }
    const setLast = db.prepare('UPDATE Source SET lastScanId = ?, updatedAt = ? WHERE id = ?');
    for (const source of options.sources) setLast.run(scanId, new Date().toISOString(), source.id);
    // Unchanged rows are not rewritten, so only these move what a plan reads (any read counts: a
    // hash a row lacked before can decide a plan, e.g. whether an origin's content is in the space).
    const catalogChanged =
      summary.added + summary.changed + summary.removed + summary.racy + summary.contentChanged + summary.filesHashed > 0 ||
      walkHashed.errors.length + hashed.errors.length > 0;
    db.prepare('UPDATE ScanRun SET catalogChanged = ? WHERE id = ?').run(catalogChanged ? 1 : 0, scanId);
    summary.durationMs = Date.now() - started;
    tracker.finish('succeeded');
    return summary;
  } catch (error) {
    summary.durationMs = Date.now() - started;
    tracker.finish('failed', error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    // The first scan's indexes come back however it ended (the hash index only now).
    if (bulk) restoreEntryIndexes(db);
    await walkers.close();
    await pool?.close();
  }
}

/**
 * Optional roots (recovery folders) are walked only when they exist; one that is gone but was
 * catalogued before is `emptied`. Anything else in its place is an error, as for a landing.
 */
function presentSources(db: Db, sources: ScanSource[]): { present: ScanSource[]; emptied: string[] } {
  const present: ScanSource[] = [];
  const emptied: string[] = [];
  const known = db.prepare('SELECT 1 FROM Source WHERE id = ?');
  for (const source of sources) {
    if (!source.optional) {
      present.push(source);
      continue;
    }
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(source.root);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new UserError(`${source.id}: folder ${source.root} cannot be read (${code})`);
    }
    if (stat && !stat.isDirectory()) throw new UserError(`${source.id}: ${source.root} is not a folder`);
    if (stat) present.push(source);
    else if (known.get(source.id)) emptied.push(source.id);
  }
  return { present, emptied };
}

/** What one scan shares with the walk of each of its sources. */
interface SourceWalk {
  scanId: number;
  options: ScanOptions;
  summary: ScanSummary;
  tracker: ProgressTracker;
  problem: (entry: ScanProblem) => void;
  walkHasher: WalkHasher;
  walkers: Walkers;
}

async function walkSource(db: Db, source: ScanSource, walk: SourceWalk): Promise<void> {
  const { scanId, options, summary, tracker, problem, walkHasher, walkers } = walk;
  const previous = db
    .prepare('SELECT r.startedAtNs FROM Source s JOIN ScanRun r ON r.id = s.lastScanId WHERE s.id = ?')
    .safeIntegers(true)
    .get(source.id) as { startedAtNs: bigint } | undefined;
  const writer = new CatalogWriter(db, scanId, source.id, previous?.startedAtNs);
  const xattrs = options.xattrs !== false;
  const inspect = (entry: WalkedEntry) => inspectEntry(entry, { xattrs });
  const batches = walkInBatches({
    root: source.root,
    boundary: source.boundary,
    hooks: options.hooks,
    // A full scan hears of every entry (unchanged ones are read too); an in-memory database cannot be shared.
    threads: writer.firstScan
      ? { kind: 'worker', readContent: options.full === true }
      : options.full || db.memory
        ? { kind: 'inline' }
        : { kind: 'comparing', databasePath: db.name, sourceId: source.id, racyFromNs: previous?.startedAtNs },
    xattrs: xattrs && writer.firstScan,
    beforeRead: options.hooks?.beforeHash,
    onVanished: (vanished) => {
      summary.vanished++;
      problem({ sourceId: source.id, path: vanished.relPath.toString('utf8'), code: vanished.code, message: vanished.message });
    },
  }, walkers);
  const writeBatches = db.transaction((batches: WalkBatch[]) => {
    for (const { entries, compared } of batches) {
      entries.forEach((entry, index) => {
        const written = writer.write(entry, inspect, compared?.[index]);
        walkHasher.add(entry, written);
        const outcome = written.outcome;
        if (outcome === 'added' || outcome === 'changed') summary[outcome]++;
        else if (outcome === 'racy') summary.racy++;
        summary.entriesSeen++;
        if (entry.type === 'file') summary.bytesSeen += Number(entry.stat.size);
        if (entry.skipReason) summary.skipped++;
        if (entry.errorCode && outcome !== 'unchanged') {
          summary.unreadable++;
          problem({ sourceId: source.id, path: entry.relPath.toString('utf8'), code: entry.errorCode, message: entry.errorMessage ?? '' });
        }
      });
    }
  });
  // Several walk batches per transaction: fewer commits, and the event loop still runs between batches.
  let pending: WalkBatch[] = [];
  let pendingEntries = 0;
  for await (const batch of batches) {
    if (batch.unchanged) {
      writer.markSeenIds(batch.unchanged.ids);
      summary.entriesSeen += batch.unchanged.ids.length;
      summary.bytesSeen += batch.unchanged.bytes;
      summary.skipped += batch.unchanged.skipped;
    }
    pending.push(batch);
    pendingEntries += batch.entries.length;
    if (pendingEntries >= TRANSACTION_ENTRIES) {
      writeBatches.immediate(pending);
      pending = [];
      pendingEntries = 0;
      await walkHasher.room();
    }
    tracker.walking(source.id);
  }
  writeBatches.immediate(pending);
  tracker.walking(source.id);
  summary.removed += db.transaction(() => writer.markRemoved())();
}
