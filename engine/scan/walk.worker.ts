/**
 * Walks a tree (or its share of one) on its own thread and streams the entries to the scanner in
 * batches, so listing and lstat overlap with the main thread's work. At most a few batches are in
 * flight (memory stays bounded). In a rescan it also compares each entry with its stored row on a
 * read-only connection of its own, and sends only the ids of unchanged entries.
 * One walk per `{ kind: 'walk' }` message, one after another: a scan keeps its walkers from
 * source to source (starting a thread cost about as much as walking a small source).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { readXattrNames } from './inspect.ts';
import { EntryPacker, type PackedEntries } from './packed.ts';
import { contentReader } from './walk-content.ts';
import { walk, type WalkShare, type WalkProblem } from './walk.ts';
import { StoredEntries, isUnchanged, type StoredComparison } from './writer.ts';
import { acknowledgedSends, type WorkerEnd } from '../threads.ts';

/** Entries found unchanged by a comparing walker: only their ids, and what the summary counts. */
export interface UnchangedEntries {
  ids: Float64Array;
  bytes: number;
  skipped: number;
}

export type WalkMessage =
  | { kind: 'entries'; entries: PackedEntries; compared?: (StoredComparison | null)[]; unchanged?: UnchangedEntries; vanished: WalkProblem[] }
  | WorkerEnd;

/** What the scanner asks of a walker: a walk, or (after each batch it received) an acknowledgement. */
export type WalkRequest = { kind: 'walk'; walk: WalkWorkerData } | 'ack';

export interface WalkWorkerData {
  root: string;
  boundary: string;
  batchSize: number;
  xattrs: boolean;
  /** Read and hash every file of the share (a first `scan --full`). */
  readContent: boolean;
  share?: WalkShare;
  /** Compare with the stored rows of this source (a rescan). */
  compare?: { databasePath: string; sourceId: string; racyFromNs?: bigint };
}

/** Set when the thread starts: how many batches it may send ahead of the scanner's acknowledgements. */
export interface WalkerData {
  maxInFlight: number;
}

const sent = acknowledgedSends((workerData as WalkerData).maxInFlight);

async function run({ root, boundary, batchSize, xattrs, readContent, share, compare }: WalkWorkerData): Promise<void> {
  const db = compare ? new Database(compare.databasePath, { readonly: true, fileMustExist: true }) : undefined;
  // A lookup per entry, grouped in read transactions (each lookup on its own would start a
  // transaction of its own: twice the cost). A modest page cache: one per walker, and the file's
  // pages sit in the OS cache anyway.
  db?.pragma('cache_size = -16384');
  db?.exec('BEGIN');
  const stored = db && compare ? new StoredEntries(db, compare.sourceId, compare.racyFromNs) : undefined;
  let vanished: WalkProblem[] = [];
  const batch = new EntryPacker();
  let compared: (StoredComparison | null)[] = [];
  let unchanged: number[] = [];
  let unchangedBytes = 0;
  let unchangedSkipped = 0;
  const send = async () => {
    const { packed, transfer } = batch.take();
    const message: WalkMessage = { kind: 'entries', entries: packed, vanished };
    if (stored) {
      const ids = Float64Array.from(unchanged);
      message.compared = compared;
      message.unchanged = { ids, bytes: unchangedBytes, skipped: unchangedSkipped };
      transfer.push(ids.buffer);
    }
    parentPort!.postMessage(message, transfer);
    db?.exec('COMMIT; BEGIN');
    vanished = [];
    compared = [];
    unchanged = [];
    unchangedBytes = 0;
    unchangedSkipped = 0;
    await sent();
  };
  const entries = walk(root, {
    boundary,
    share,
    readXattrs: xattrs ? readXattrNames : undefined,
    readContent: readContent ? contentReader() : undefined,
    onVanished: (problem) => vanished.push(problem),
  });
  for (const entry of entries) {
    const row = stored?.compare(entry);
    if (row && isUnchanged(entry, row)) {
      unchanged.push(row.id);
      if (entry.type === 'file') unchangedBytes += Number(entry.stat.size);
      if (entry.skipReason) unchangedSkipped++;
      if (unchanged.length >= batchSize * 4) await send();
      continue;
    }
    // The absolute path is rebuilt on the other side; not sending it halves the bytes sent.
    batch.add(entry);
    if (stored) compared.push(row ?? null);
    if (batch.count >= batchSize) await send();
  }
  if (batch.count > 0 || vanished.length > 0 || unchanged.length > 0) await send();
  db?.exec('COMMIT');
  db?.close();
  parentPort!.postMessage({ kind: 'done' } satisfies WalkMessage);
}

parentPort!.on('message', (request: WalkRequest) => {
  if (request === 'ack') return; // counted by acknowledgedSends
  run(request.walk).catch((error: NodeJS.ErrnoException) => parentPort!.postMessage({ kind: 'error', message: error.message, code: error.code } satisfies WalkMessage));
});
