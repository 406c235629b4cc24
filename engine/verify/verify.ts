/**
 * Verification of an apply run without re-scanning every source:
 * - operations: every done step's result is where the plan put it (copies re-hashed), sources of
 *   moves are gone, sources of copies and of skipped steps still hold their content;
 * - conservation: every distinct content hash the catalog knew before the run still has a file
 *   (its catalogued paths, followed through the run's moves, checked by size);
 * - origins: every origin-inventory entry is present, a placeholder, partial, or known missing.
 */
import path from 'node:path';
import type { Db } from '../db/index.ts';
import { displayPath, hashFile, lstatOrNull, resolveRun, runOperations, type StoredOperation } from '../apply/index.ts';

export interface Verification {
  ok: boolean;
  runId: string;
  checkedAt: string;
  operations: { ok: boolean; checked: number; problems: { id: string; path: string; problem: string }[] };
  conservation: { ok: boolean; hashes: number; missing: { hash: string; paths: string[] }[] };
  origins: { ok: boolean; entries: number; present: number; placeholder: number; partial: number; missingKnown: number; unaccounted: { source: string; path: string }[] };
}

const limit = 50;

/**
 * `movedAway`: sources a completed move took away. `lastWrite`: for each destination, the sequence
 * number of the last completed step that wrote it — a move's source may be filled again by a later
 * step (the complete copy that takes the place of an archived partial).
 */
function checkOperation(op: StoredOperation, movedAway: Set<string>, lastWrite: Map<string, number>): string | null {
  const to = lstatOrNull(op.to);
  if (op.status === 'done') {
    if (op.op === 'mkdir') return to?.isDirectory() ? null : 'folder missing';
    if (!to?.isFile()) return 'destination missing';
    if (op.expectSize !== null && to.size !== op.expectSize) return `destination size ${to.size}, planned ${op.expectSize}`;
    if (op.op === 'copy') {
      if (op.expectHash !== null && hashFile(op.to) !== op.expectHash) return 'copy does not hash as planned';
      if (!lstatOrNull(op.from!) && !movedAway.has(op.from!.toString('latin1'))) return 'copy source vanished';
    }
    if (op.op === 'move' && lstatOrNull(op.from!) && !((lastWrite.get(op.from!.toString('latin1')) ?? -1) > op.seq)) {
      return 'move source still present';
    }
    return null;
  }
  if (op.status === 'rolled-back' || op.op === 'mkdir' || !op.from) return null;
  // A step not carried out must have left its source alone (unless it was missing from the start).
  if (op.reason === 'source-missing' || movedAway.has(op.from.toString('latin1'))) return null;
  return lstatOrNull(op.from) ? null : `source missing after a ${op.status} step`;
}

interface CatalogFile {
  hash: string;
  size: bigint;
  file: Buffer;
}

function catalogFiles(db: Db): CatalogFile[] {
  const rows = db
    .prepare(
      `SELECT e.fullHash AS hash, e.size AS size, s.root AS root, e.relPath AS relPath
       FROM Entry e JOIN Source s ON s.id = e.sourceId
       WHERE e.type = 'file' AND e.removedScanId IS NULL AND e.fullHash IS NOT NULL AND e.size > 0`,
    )
    .safeIntegers(true)
    .all() as { hash: string; size: bigint; root: string; relPath: Buffer }[];
  return rows.map((row) => ({ hash: row.hash, size: row.size, file: Buffer.concat([Buffer.from(row.root.replace(/\/+$/, '')), Buffer.from('/'), row.relPath]) }));
}

function conservation(db: Db, operations: StoredOperation[]): Verification['conservation'] {
  const movedTo = new Map<string, Buffer>();
  for (const op of operations) if (op.op === 'move' && op.status === 'done') movedTo.set(op.from!.toString('latin1'), op.to);
  const byHash = new Map<string, CatalogFile[]>();
  for (const file of catalogFiles(db)) {
    const list = byHash.get(file.hash);
    if (list) list.push(file);
    else byHash.set(file.hash, [file]);
  }
  // Content the run itself was told about counts too (it may not be catalogued yet).
  for (const op of operations) {
    if (!op.from || op.expectHash === null || op.expectSize === null || byHash.has(op.expectHash)) continue;
    byHash.set(op.expectHash, [{ hash: op.expectHash, size: op.expectSize, file: op.from }]);
  }
  const missing: Verification['conservation']['missing'] = [];
  for (const [hash, files] of byHash) {
    const present = files.some((file) => {
      for (const candidate of [file.file, movedTo.get(file.file.toString('latin1'))]) {
        const stat = candidate ? lstatOrNull(candidate) : null;
        if (stat?.isFile() && stat.size === file.size) return true;
      }
      return false;
    });
    if (!present && missing.length < limit) missing.push({ hash, paths: files.slice(0, 5).map((file) => displayPath(file.file)) });
  }
  return { ok: missing.length === 0, hashes: byHash.size, missing };
}

/** Moves carried out by any run and not rolled back: where a landed file went. */
function movesInEffect(db: Db): Map<string, Buffer> {
  const rows = db.prepare(`SELECT fromRaw, toRaw FROM Operation WHERE op = 'move' AND status = 'done'`).all() as { fromRaw: Buffer; toRaw: Buffer }[];
  return new Map(rows.map((row) => [row.fromRaw.toString('latin1'), row.toRaw]));
}

/** Paths (space or origin) that a finding already accounts for, with the finding's kind. */
function knownByFindings(db: Db): Map<string, string> {
  const known = new Map<string, string>();
  const rows = db
    .prepare(`SELECT kind, pathsJson, evidenceJson FROM Finding WHERE kind IN ('missing', 'placeholder', 'partial', 'unreadable', 'corrupt')`)
    .all() as { kind: string; pathsJson: string; evidenceJson: string }[];
  for (const row of rows) {
    // The evidence names the origin path and where the file should have landed (stubs, missing files).
    const evidence = JSON.parse(row.evidenceJson) as Record<string, unknown>;
    const named = ['origin', 'originPath', 'realPath', 'expectedAt'].map((key) => evidence[key]).filter((value): value is string => typeof value === 'string');
    for (const entry of [...(JSON.parse(row.pathsJson) as string[]), ...named]) known.set(entry, row.kind);
  }
  return known;
}

function origins(db: Db): Verification['origins'] {
  const entries = db
    .prepare(
      `SELECT o.sourceId, o.relPath, o.originPath, o.size, o.xxh128, s.root
       FROM OriginEntry o JOIN Source s ON s.id = o.sourceId WHERE o.isDir = 0`,
    )
    .all() as { sourceId: string; relPath: string; originPath: string; size: number; xxh128: string | null; root: string }[];
  const present = new Set(
    (db.prepare(`SELECT DISTINCT fullHash FROM Entry WHERE removedScanId IS NULL AND fullHash IS NOT NULL`).pluck().all() as string[]),
  );
  const moved = movesInEffect(db);
  const known = knownByFindings(db);
  const result: Verification['origins'] = { ok: true, entries: entries.length, present: 0, placeholder: 0, partial: 0, missingKnown: 0, unaccounted: [] };
  for (const entry of entries) {
    const landedPath = path.join(entry.root, entry.relPath);
    const landedRaw = Buffer.from(landedPath);
    const landed = lstatOrNull(moved.get(landedRaw.toString('latin1')) ?? landedRaw);
    const kind = known.get(landedPath) ?? known.get(entry.originPath);
    // A symlink arrives as a symlink: its size is its target's length, as the origin lists it.
    const arrived = landed !== null && (landed.isFile() || landed.isSymbolicLink()) && Number(landed.size) === entry.size;
    if ((entry.xxh128 && present.has(entry.xxh128)) || arrived) result.present += 1;
    else if (kind === 'placeholder' || (landed?.isFile() && landed.size === 0n && entry.size > 0)) result.placeholder += 1;
    else if (kind === 'partial' || (landed?.isFile() && Number(landed.size) < entry.size)) result.partial += 1;
    else if (kind !== undefined) result.missingKnown += 1;
    else if (result.unaccounted.length < limit) result.unaccounted.push({ source: entry.sourceId, path: entry.originPath });
  }
  result.ok = result.unaccounted.length === 0;
  return result;
}

/** Verifies a run (default: the latest) and stores the result on it. */
export function verifyRun(db: Db, runRef?: string): Verification {
  const run = resolveRun(db, runRef);
  const operations = runOperations(db, run.id);
  const problems: Verification['operations']['problems'] = [];
  const movedAway = new Set(operations.filter((op) => op.op === 'move' && op.status === 'done').map((op) => op.from!.toString('latin1')));
  const lastWrite = new Map<string, number>();
  for (const op of operations) if (op.status === 'done' && op.op !== 'mkdir') lastWrite.set(op.to.toString('latin1'), Math.max(op.seq, lastWrite.get(op.to.toString('latin1')) ?? -1));
  for (const op of operations) {
    const problem = checkOperation(op, movedAway, lastWrite);
    if (problem && problems.length < limit) problems.push({ id: op.id, path: displayPath(op.from ?? op.to), problem });
  }
  const verification: Verification = {
    ok: false,
    runId: run.id,
    checkedAt: new Date().toISOString(),
    operations: { ok: problems.length === 0, checked: operations.length, problems },
    conservation: conservation(db, operations),
    origins: origins(db),
  };
  verification.ok = verification.operations.ok && verification.conservation.ok && verification.origins.ok;
  db.prepare('UPDATE ApplyRun SET verifyJson = ? WHERE id = ?').run(JSON.stringify(verification), run.id);
  return verification;
}
