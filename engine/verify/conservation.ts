/**
 * Content conservation: every content the catalog knows, and every content a run placed, is on
 * disk now. A catalogued file counts as holding its content only while it is exactly what the scan
 * saw (device, inode, size, mtime, ctime, and not modified during that scan); anything else is read
 * again on the hash workers. A content that survives only in the archive or a conflicts folder
 * counts only when a decision meant its only copy to be there (see moves.ts); a duplicate archived
 * while its keeper vanished does not. Contents are taken a page at a time in hash order, the
 * catalog's and the runs' side by side, so memory does not grow with the catalog.
 */
import type { Statement } from 'better-sqlite3';
import { displayPath } from '../apply/index.ts';
import type { Db } from '../db/index.ts';
import { placeOf, Sample, type VerifyContext } from './context.ts';
import type { Place } from './moves.ts';
import { statOf, type FileStat } from './reader.ts';
import type { LostContent } from './types.ts';

interface EntryContent {
  id: bigint;
  hash: string | null;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  dev: bigint;
  ino: bigint;
  sourceId: string;
  relPath: Buffer;
  /** Start of the source's last scan: a file modified at or after it may have changed after it was hashed. */
  racyFromNs: bigint | null;
}

interface PlacedContent {
  ord: bigint;
  hash: string;
  justified: bigint;
  finalRaw: Buffer;
}

export interface ConservationResult {
  contents: number;
  inReconciliation: number;
  lost: Sample<LostContent>;
}

const pageSize = 2000;

export async function checkConservation(context: VerifyContext): Promise<ConservationResult> {
  const { db } = context;
  db.exec('DROP TABLE IF EXISTS temp.verify_content; CREATE TEMP TABLE verify_content (hash TEXT PRIMARY KEY, present INTEGER NOT NULL) WITHOUT ROWID');
  const result: ConservationResult = { contents: 0, inReconciliation: 0, lost: new Sample() };
  const roots = sourceRoots(db);
  // `+type`, `+size`: the pages must walk the fullHash index; the (type, size) one made each page sort the catalog.
  const insert = db.prepare('INSERT OR REPLACE INTO verify_content (hash, present) VALUES (?, ?)');
  let verdicts: [string, number][] = [];
  const flush = db.transaction(() => {
    for (const verdict of verdicts) insert.run(...verdict);
    verdicts = [];
  });
  const record = (hash: string, present: boolean) => {
    verdicts.push([hash, present ? 1 : 0]);
    if (verdicts.length >= pageSize) flush();
  };
  const entries = pages<EntryContent>(
    db.prepare(
      `SELECT e.id, e.fullHash AS hash, e.size, e.mtimeNs, e.ctimeNs, e.dev, e.ino, e.sourceId, e.relPath, r.startedAtNs AS racyFromNs
         FROM Entry e JOIN Source s ON s.id = e.sourceId LEFT JOIN ScanRun r ON r.id = s.lastScanId
        WHERE e.removedScanId IS NULL AND +e.type = 'file' AND +e.size > 0 AND e.errorCode IS NULL AND e.fullHash IS NOT NULL
          AND (e.fullHash, e.id) > (?, ?) ORDER BY e.fullHash, e.id LIMIT ?`,
    ),
    (row) => [row.hash!, row.id],
  );
  const placed = pages<PlacedContent>(
    db.prepare(
      `SELECT ord, expectHash AS hash, justified, finalRaw FROM verify_op
        WHERE status = 'done' AND op IN ('move', 'copy') AND expectHash IS NOT NULL AND (expectHash, ord) > (?, ?)
        ORDER BY expectHash, ord LIMIT ?`,
    ),
    (row) => [row.hash, row.ord],
  );
  const rawOf = (entry: EntryContent) => Buffer.concat([roots.get(entry.sourceId)!, Buffer.from('/'), entry.relPath]);
  for (const group of mergeByHash(entries, placed)) {
    result.contents += 1;
    const verdict = judgeContent(context, group, rawOf, (present) => record(group.hash, present), result);
    if (verdict) await verdict;
  }
  await unhashedFiles(context, roots, result);
  await context.reader.drain();
  flush();
  return result;
}

function sourceRoots(db: Db): Map<string, Buffer> {
  const rows = db.prepare('SELECT id, root FROM Source').all() as { id: string; root: string }[];
  return new Map(rows.map((row) => [row.id, Buffer.from(row.root.replace(/\/+$/, ''))]));
}

/** The file is still what the scan saw (and the scan did not hash it while it was being written). */
function unchanged(entry: EntryContent, stat: FileStat | null): boolean {
  return (
    stat !== null &&
    stat.isFile &&
    stat.dev === entry.dev &&
    stat.ino === entry.ino &&
    stat.size === entry.size &&
    stat.mtimeNs === entry.mtimeNs &&
    stat.ctimeNs === entry.ctimeNs &&
    (entry.racyFromNs === null || entry.mtimeNs < entry.racyFromNs)
  );
}

interface Group {
  hash: string;
  entries: EntryContent[];
  placed: PlacedContent[];
}

/**
 * Decides one content; returns a promise only when files had to be read again (settled through
 * `record`). Where it already holds in a working tree, nothing else is looked at.
 */
function judgeContent(
  context: VerifyContext,
  group: Group,
  rawOf: (entry: EntryContent) => Buffer,
  record: (present: boolean) => void,
  result: ConservationResult,
): Promise<void> | undefined {
  const { config, moves, reader } = context;
  const holding: { place: Place; raw: Buffer; justified: boolean }[] = group.placed.flatMap((placed) => {
    const place = moves.heldAt(Number(placed.ord));
    return place === null ? [] : [{ place, raw: placed.finalRaw, justified: placed.justified === 1n }];
  });
  const toRead: { raw: Buffer; stat: FileStat }[] = [];
  if (!holding.some((where) => where.place === 'live')) {
    for (const entry of group.entries) {
      const raw = rawOf(entry);
      const stat = statOf(raw);
      if (unchanged(entry, stat)) holding.push({ place: placeOf(config, raw), raw, justified: false });
      // A path a run wrote was read by the operations check; its verdict is among `placed`.
      else if (stat?.isFile && stat.size === entry.size && !moves.placedAt(raw)) toRead.push({ raw, stat });
      if (holding.some((where) => where.place === 'live')) break;
    }
  }
  const settle = () => {
    const live = holding.some((where) => where.place === 'live');
    const kept = holding.filter((where) => where.justified);
    record(holding.length > 0);
    if (live) return;
    if (kept.length > 0) {
      result.inReconciliation += 1;
      return;
    }
    const size = Number(group.entries[0]?.size ?? 0n);
    const lastSeen = [...group.entries.map((entry) => displayPath(rawOf(entry))), ...group.placed.map((placed) => displayPath(placed.finalRaw))].slice(0, 5);
    const survivesAt = holding.map((where) => displayPath(where.raw)).slice(0, 5);
    const reason = holding.length === 0 ? 'lost' : holding.every((where) => where.place === 'conflicts') ? 'only-in-conflicts' : 'only-in-archive';
    result.lost.add({ hash: group.hash, size: size || sizeOfPlaced(context.db, group), reason, lastSeen, survivesAt, touchedByRun: group.placed.length > 0 });
  };
  if (holding.some((where) => where.place === 'live') || toRead.length === 0) {
    settle();
    return undefined;
  }
  let waiting = toRead.length;
  return (async () => {
    for (const { raw, stat } of toRead) {
      await reader.submit(raw, stat, 'full', (read) => {
        if ('value' in read && read.value === group.hash) holding.push({ place: placeOf(config, raw), raw, justified: false });
        if (--waiting === 0) settle();
      });
    }
  })();
}

function sizeOfPlaced(db: Db, group: Group): number {
  const ord = group.placed[0]?.ord;
  return ord === undefined ? 0 : Number(db.prepare('SELECT expectSize FROM verify_op WHERE ord = ?').pluck().get(ord) ?? 0);
}

/**
 * Files the scan never hashed (no other file had their size): their identity is the stat. Still
 * there and unchanged, they hold what the scan saw; gone or changed, and no run touched them, their
 * content cannot be confirmed.
 */
async function unhashedFiles(context: VerifyContext, roots: Map<string, Buffer>, result: ConservationResult): Promise<void> {
  const { db, moves } = context;
  const page = db
    .prepare(
      `SELECT e.id, e.fullHash AS hash, e.size, e.mtimeNs, e.ctimeNs, e.dev, e.ino, e.sourceId, e.relPath, NULL AS racyFromNs FROM Entry e
        WHERE e.removedScanId IS NULL AND e.type = 'file' AND e.size > 0 AND e.errorCode IS NULL AND e.fullHash IS NULL AND e.id > ?
        ORDER BY e.id LIMIT ?`,
    )
    .safeIntegers(true);
  for (let after = 0n; ; ) {
    const rows = page.all(after, pageSize) as EntryContent[];
    if (rows.length === 0) return;
    after = rows.at(-1)!.id;
    for (const entry of rows) {
      result.contents += 1;
      const raw = Buffer.concat([roots.get(entry.sourceId)!, Buffer.from('/'), entry.relPath]);
      const stat = statOf(raw);
      if (unchanged(entry, stat) || moves.touched(raw)) continue;
      result.lost.add({
        hash: null,
        size: Number(entry.size),
        reason: stat ? 'changed-since-scan' : 'lost',
        lastSeen: [displayPath(raw)],
        survivesAt: [],
        touchedByRun: false,
      });
    }
  }
}

/** Rows of a keyset-paged statement (`(key) > (?, ?) ... LIMIT ?`), one page in memory at a time. */
function* pages<T>(statement: Statement<unknown[]>, keyOf: (row: T) => [string, bigint]): Generator<T> {
  statement.safeIntegers(true);
  let after: [string, bigint] = ['', -1n];
  for (;;) {
    const rows = statement.all(after[0], after[1], pageSize) as T[];
    if (rows.length === 0) return;
    after = keyOf(rows.at(-1)!);
    yield* rows;
  }
}

/** Two streams sorted by hash, merged into one group per hash. */
function* mergeByHash(entries: Generator<EntryContent>, placed: Generator<PlacedContent>): Generator<Group> {
  let entry = entries.next();
  let op = placed.next();
  while (!entry.done || !op.done) {
    const hash = entry.done ? op.value!.hash : op.done ? entry.value.hash! : entry.value.hash! < op.value.hash ? entry.value.hash! : op.value.hash;
    const group: Group = { hash, entries: [], placed: [] };
    for (; !entry.done && entry.value.hash === hash; entry = entries.next()) group.entries.push(entry.value);
    for (; !op.done && op.value.hash === hash; op = placed.next()) group.placed.push(op.value);
    yield group;
  }
}
