/**
 * The walk over the origin inventories: every origin entry is present, missing, a placeholder or
 * partial (with per-source counts), and its space counterpart is checked for corruption.
 * missing: origin entries whose content is nowhere in the space.
 */
import type { EntryRow } from './catalog.ts';
import type { EvidenceOf } from './evidence.ts';
import { hasZeroTail } from './content.ts';
import { isCorrupt } from './corrupt.ts';
import { movedCopy, versionCopies } from './conflict.ts';
import { contentInSpace, counterpart, matchOrigin, preferredHash } from './origin-match.ts';
import { cloudOnlyAtOrigin, originEntries, originVersion, type OriginRow } from './origin-entries.ts';
import { emitPartial } from './partial.ts';
import { outstandingFor, targetOf } from './outstanding.ts';
import { emitPlaceholder } from './placeholder.ts';
import type { ClassifyRun } from './run.ts';
import { joinOrigin } from './transfer-events.ts';

export function classifyAgainstOrigins(run: ClassifyRun): void {
  const { catalog } = run;
  for (const origin of originEntries(catalog.db)) {
    const explained = run.explainedOrigin.has(`${origin.sourceId}\0${origin.relPath}`);
    const row = counterpart(catalog, origin);
    if (row && row.type !== 'file') continue;
    if (explained) {
      // A version another copy overwrote counts once it is back (fetched and placed in the conflicts folder).
      account(run, origin, (row && row.size === origin.size) || contentInSpace(run, origin) ? 'present' : 'placeholder');
      continue;
    }
    if (!row) {
      const expectedAt = `${catalog.source(origin.sourceId).root}/${origin.relPath}`;
      if (run.unreadableFolders.some((folder) => expectedAt.startsWith(folder))) account(run, origin, 'unreadable');
      else if (movedThere(run, expectedAt, origin) || contentInSpace(run, origin)) account(run, origin, 'present');
      else emitMissing(run, origin);
      continue;
    }
    account(run, origin, judge(run, row, origin));
  }
}

/**
 * The file landed, and an apply run moved it on (into the layout, say): still the origin's content
 * when the size agrees and, where the inventory has an XXH128, the hash the move re-checked.
 */
function movedThere(run: ClassifyRun, expectedAt: string, origin: OriginRow): boolean {
  const moved = run.catalog.movedFile(expectedAt);
  if (!moved || moved.size !== origin.size) return false;
  return !origin.xxh128 || moved.hash === null || moved.hash === origin.xxh128.toLowerCase();
}

/** Counts the entry for its source; present without an inventory hash is the weaker, size-based kind. */
function account(run: ClassifyRun, origin: OriginRow, bucket: 'present' | 'missing' | 'placeholder' | 'partial' | 'unreadable'): void {
  run.tally(origin.sourceId, bucket, Number(origin.size), preferredHash(origin) === undefined);
}

function judge(run: ClassifyRun, row: EntryRow, origin: OriginRow): 'present' | 'placeholder' | 'partial' | 'unreadable' {
  if (run.isClaimed(row) || run.isOurs(row)) return 'present';
  const version = originVersion(origin);
  const match = matchOrigin(run.catalog, row, origin);
  if (match.status === 'size-mismatch') {
    // Copied from a cloud-only file at the origin: whatever arrived is not its content.
    if (cloudOnlyAtOrigin(origin)) {
      emitPlaceholder(run, row, 'cloud-only-at-origin', { origin: version, size: Number(row.size), outstanding: outstandingFor(run, origin, 'placeholder') });
      return 'placeholder';
    }
    if (row.size === 0n) {
      emitPlaceholder(run, row, 'zero-byte-vs-origin', { origin: version, outstanding: outstandingFor(run, origin, 'placeholder') });
      return 'placeholder';
    }
    emitPartial(
      run,
      row,
      row.size < origin.size ? 'shorter-than-origin' : 'size-differs-from-origin',
      { origin: version, size: Number(row.size), outstanding: outstandingFor(run, origin, 'partial') },
    );
    return 'partial';
  }
  // Read now, not at scan time: a file that cannot be read is not known to be complete.
  if (match.status === 'unreadable') return 'unreadable';
  if (match.status !== 'hash-mismatch') return 'present';
  const hashKind = match.evidence.hashKind;
  if (hasZeroTail(run.catalog.rawPath(row), Number(row.size)) === true) {
    emitPartial(run, row, 'zero-filled-tail', { origin: version, hashKind, outstanding: outstandingFor(run, origin, 'partial') });
    return 'partial';
  }
  if (isCorrupt(row, origin, match)) {
    run.claim(row);
    run.emit({
      kind: 'corrupt',
      rule: 'hash-differs-same-size-and-mtime',
      files: [run.catalog.fileRef(row, { hash: true })],
      evidence: { origin: version, hashKind, outstanding: outstandingFor(run, origin, 'corrupt') },
    });
    return 'present';
  }
  run.claim(row);
  // The origin's version may be elsewhere in the space (another transfer brought it): a member too.
  const copies = versionCopies(run, origin);
  const members = [row, ...copies.filter((copy) => !run.isClaimed(copy))];
  for (const copy of members) run.claim(copy);
  const spacePaths = [...new Set(copies.map((copy) => run.catalog.absolutePath(copy)))];
  // A fetched copy an apply run placed, or a copy a run moved on (into the conflicts folder, which
  // no scan walks), is in the space too.
  const inSpace = copies.length > 0 || run.recovery.placedAt(origin) || movedCopy(run, origin);
  run.emit({
    kind: 'conflict',
    rule: 'origin-changed',
    files: members.map((member) => run.catalog.fileRef(member, { hash: true })),
    idParts: [run.catalog.absolutePath(row)],
    evidence: { versions: [{ ...version, inSpace, spacePaths }], hashKind, outstanding: inSpace ? [] : [targetOf(origin, 'overwritten-version')] },
  });
  return 'present';
}

function emitMissing(run: ClassifyRun, origin: OriginRow): void {
  const source = run.catalog.source(origin.sourceId);
  const logged = run.catalog.prepared("SELECT logFile AS log, lineNo AS line, code, message FROM TransferEvent WHERE sourceId = ? AND relPath = ? AND level = 'error' ORDER BY lineNo LIMIT 1")
    .get(origin.sourceId, origin.relPath) as EvidenceOf<'missing'>['transferError'] | undefined;
  account(run, origin, 'missing');
  run.emit({
    kind: 'missing',
    rule: 'not-in-space',
    files: [],
    // The origin host's own spelling, from the configured origin root (inventories store paths relative to it).
    paths: [source.origin ? joinOrigin(source.origin, origin.relPath) : origin.originPath],
    sources: [origin.sourceId],
    size: Number(origin.size),
    ...(origin.xxh128 ? { hash: origin.xxh128.toLowerCase() } : {}),
    evidence: {
      ...originVersion(origin),
      relPath: origin.relPath,
      expectedAt: `${source.root}/${origin.relPath}`,
      transferError: logged ?? null,
      // Its content must be downloaded at the origin before it can be copied.
      ...(cloudOnlyAtOrigin(origin) ? { cloudOnlyAtOrigin: true } : {}),
      outstanding: [targetOf(origin, 'missing')],
    },
  });
}
