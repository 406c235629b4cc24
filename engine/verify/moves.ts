/**
 * Where the runs put things: every operation of every run in one order (runs by creation, steps by
 * seq) in a temporary table, each done move or copy followed through later runs' moves to where
 * its content is now (A→B in one run, B→C in the next: C). Temporary tables keep a million
 * operations out of the JavaScript heap; every read is paged, so the table can be written between
 * pages (SQLite allows no write while a statement is being stepped on the same connection).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/index.ts';

/** Where a file is now: a working tree (anything but our folders), the archive, or a conflicts folder. */
export type Place = 'live' | 'archive' | 'conflicts';

/** A done move from a path, with where its content ended up. */
export interface Moved {
  ord: number;
  finalRaw: Buffer;
  expectHash: string | null;
}

/** The operations check's verdict on a placed content, by `ord`: one byte per operation, no table writes. */
const verdictCodes = { unknown: 0, missing: 1, live: 2, archive: 3, conflicts: 4 } as const;
const placeOfCode: (Place | null)[] = [null, null, 'live', 'archive', 'conflicts'];

/** One operation as verification reads it back. */
export interface OpRow {
  ord: number;
  runId: string;
  id: string;
  op: string;
  status: string;
  reason: string | null;
  fromRaw: Buffer | null;
  toRaw: Buffer;
  finalRaw: Buffer;
  expectHash: string | null;
  expectSize: bigint | null;
  inScope: number;
}

/**
 * A displaced file may be the only copy of its content in the archive or a conflicts folder when a
 * decision meant it so: litter, trash, conflict versions, unfinished copies, collisions. A duplicate's
 * copies go there only because a keeper stays; AppleDouble forks travel with their file.
 */
const justified = `COALESCE(COALESCE(d.kind, f.kind, 'duplicate') <> 'duplicate' OR (o.fromPath GLOB '*/._*' AND NOT o.fromPath GLOB '*/._*/*'), 0)`;

export class RunMoves {
  private statements: { movedTo: Statement; refilled: Statement; touched: Statement; placedAt: Statement } | undefined;
  private verdicts = new Uint8Array(0);

  constructor(private readonly db: Db) {}

  /** Fills the table; `runId` (or every run, when null) is the scope whose operations are checked. */
  build(runId: string | null): void {
    const { db } = this;
    db.exec(`DROP TABLE IF EXISTS temp.verify_op;
      CREATE TEMP TABLE verify_op (
        ord INTEGER PRIMARY KEY, runId TEXT NOT NULL, id TEXT NOT NULL, op TEXT NOT NULL, status TEXT NOT NULL, reason TEXT,
        fromRaw BLOB, toRaw BLOB NOT NULL, expectHash TEXT, expectSize INTEGER, justified INTEGER NOT NULL, inScope INTEGER NOT NULL,
        finalRaw BLOB, finalOrd INTEGER);`);
    db.prepare(
      `INSERT INTO verify_op (runId, id, op, status, reason, fromRaw, toRaw, expectHash, expectSize, justified, inScope)
       SELECT o.runId, o.id, o.op, o.status, o.reason, o.fromRaw, o.toRaw, lower(o.expectHash), o.expectSize, ${justified},
              CASE WHEN @run IS NULL OR o.runId = @run THEN 1 ELSE 0 END
         FROM Operation o JOIN ApplyRun r ON r.id = o.runId
         LEFT JOIN Decision d ON d.decisionKey = o.decisionKey LEFT JOIN Finding f ON f.id = o.findingId
        ORDER BY r.createdAt, r.id, o.seq`,
    ).run({ run: runId });
    db.exec(`CREATE INDEX temp.verify_op_from ON verify_op (fromRaw, ord);
      CREATE INDEX temp.verify_op_to ON verify_op (toRaw);
      UPDATE verify_op SET finalRaw = toRaw, finalOrd = ord;`);
    // Follow later moves, one hop per statement: as many statements as the longest chain of runs.
    const hop = db.prepare(
      `UPDATE verify_op SET (finalRaw, finalOrd) = (
         SELECT b.toRaw, b.ord FROM verify_op b
          WHERE b.fromRaw = verify_op.finalRaw AND b.ord > verify_op.finalOrd AND b.op = 'move' AND b.status = 'done'
          ORDER BY b.ord LIMIT 1)
       WHERE status = 'done' AND op IN ('move', 'copy') AND EXISTS (
         SELECT 1 FROM verify_op b WHERE b.fromRaw = verify_op.finalRaw AND b.ord > verify_op.finalOrd AND b.op = 'move' AND b.status = 'done')`,
    );
    for (let hops = 0; hops < 10_000 && hop.run().changes > 0; hops++);
    this.verdicts = new Uint8Array(Number(db.prepare('SELECT COALESCE(MAX(ord), 0) + 1 FROM verify_op').pluck().get()));
    db.exec(`CREATE INDEX temp.verify_op_final ON verify_op (finalRaw, ord);
      CREATE INDEX temp.verify_op_hash ON verify_op (expectHash, ord);`);
    this.statements = {
      movedTo: db.prepare(`SELECT ord, finalRaw, expectHash FROM verify_op WHERE fromRaw = ? AND ord > ? AND op = 'move' AND status = 'done' ORDER BY ord LIMIT 1`),
      placedAt: db.prepare(`SELECT 1 FROM verify_op WHERE finalRaw = ? AND status = 'done' AND op IN ('move', 'copy') LIMIT 1`),
      refilled: db.prepare(`SELECT 1 FROM verify_op WHERE toRaw = ? AND ord > ? AND status = 'done' LIMIT 1`),
      touched: db.prepare('SELECT 1 FROM verify_op WHERE fromRaw = @raw UNION ALL SELECT 1 FROM verify_op WHERE toRaw = @raw UNION ALL SELECT 1 FROM verify_op WHERE finalRaw = @raw LIMIT 1'),
    };
  }

  private get prepared() {
    if (!this.statements) throw new Error('RunMoves.build() first');
    return this.statements;
  }

  /** Done moves and copies (the contents runs placed), ordered by where their content is now, a page at a time. */
  *placedByLocation(pageSize = 2000): Generator<OpRow[]> {
    const page = this.db.prepare(
      `SELECT ord, runId, id, op, status, reason, fromRaw, toRaw, finalRaw, expectHash, expectSize, inScope FROM verify_op
        WHERE status = 'done' AND op IN ('move', 'copy') AND (finalRaw, ord) > (?, ?) ORDER BY finalRaw, ord LIMIT ?`,
    ).safeIntegers(true);
    let after: [Buffer, bigint] = [Buffer.alloc(0), -1n];
    for (;;) {
      const rows = page.all(after[0], after[1], pageSize) as (Omit<OpRow, 'ord' | 'inScope'> & { ord: bigint; inScope: bigint })[];
      if (rows.length === 0) return;
      const last = rows.at(-1)!;
      after = [last.finalRaw, last.ord];
      yield rows.map((row) => ({ ...row, ord: Number(row.ord), inScope: Number(row.inScope) }));
    }
  }

  /** The operations of the scope that did not place anything (skipped, failed, mkdir, rolled back), in order, a page at a time. */
  *unplacedInScope(pageSize = 2000): Generator<OpRow[]> {
    const page = this.db.prepare(
      `SELECT ord, runId, id, op, status, reason, fromRaw, toRaw, finalRaw, expectHash, expectSize, inScope FROM verify_op
        WHERE inScope = 1 AND NOT (status = 'done' AND op IN ('move', 'copy')) AND ord > ? ORDER BY ord LIMIT ?`,
    ).safeIntegers(true);
    let after = -1n;
    for (;;) {
      const rows = page.all(after, pageSize) as (Omit<OpRow, 'ord' | 'inScope'> & { ord: bigint; inScope: bigint })[];
      if (rows.length === 0) return;
      after = rows.at(-1)!.ord;
      yield rows.map((row) => ({ ...row, ord: Number(row.ord), inScope: Number(row.inScope) }));
    }
  }

  /** Records whether a placed content is where its chain ends, and in which place. */
  recordPlaced(ord: number, holds: boolean, place: Place): void {
    this.verdicts[ord] = holds ? verdictCodes[place] : verdictCodes.missing;
  }

  /** Where the operations check found the content operation `ord` placed; null: not there (or not checked). */
  heldAt(ord: number): Place | null {
    return placeOfCode[this.verdicts[ord] ?? 0] ?? null;
  }

  /** Where a done move took the file at `raw` (after `afterOrd`), through later moves; null when no run moved it. */
  movedTo(raw: Buffer, afterOrd = -1): Moved | null {
    return (this.prepared.movedTo.get(raw, afterOrd) as Moved | undefined) ?? null;
  }

  /** True when a later done step (after `afterOrd`) wrote `raw` again (a complete copy into an archived partial's place). */
  refilled(raw: Buffer, afterOrd: number): boolean {
    return this.prepared.refilled.get(raw, afterOrd) !== undefined;
  }

  /** True when a run's content ends at this path: the operations check read it. */
  placedAt(raw: Buffer): boolean {
    return this.prepared.placedAt.get(raw) !== undefined;
  }

  /** True when any run moved, copied or wrote this path, or rolled such a step back. */
  touched(raw: Buffer): boolean {
    return this.prepared.touched.get({ raw }) !== undefined;
  }

  drop(): void {
    this.db.exec('DROP TABLE IF EXISTS temp.verify_op');
  }
}
