/**
 * conflict: one logical file with different content — in two sources, in two origin inventories
 * whose transfers landed on the same path (one overwrote the other), or across an inbox mapping.
 */
import type { EntryRow } from './catalog.ts';
import type { ConflictEvidence } from './evidence.ts';
import { copiesInSpace, matchOrigin, preferredHash, sameSizeAndName } from './origin-match.ts';
import { originVersion, overlappingOriginEntries, sameOriginContent, type OriginRow } from './origin-entries.ts';
import { targetOf } from './outstanding.ts';
import type { ClassifyRun } from './run.ts';

/** Copies of one lost version added as versions of the conflict, at most. */
const maxCopiesPerVersion = 4;

/**
 * Two inventories put different content on one space path: the space kept only the last copy.
 * A version the path lost may still be elsewhere in the space (another transfer brought it under
 * another folder): each such copy is a member of the finding too, so it can be compared with the
 * landed one and chosen as the winner; its path is in the version's evidence (`spacePaths`).
 */
export function classifyOverwrittenVersions(run: ClassifyRun): void {
  const { catalog } = run;
  for (const group of overlappingOriginEntries(catalog.db)) {
    const versions = distinctVersions(group.filter((row) => row.size > 0n));
    if (versions.length < 2) continue;
    const first = group[0]!;
    const row = catalog.lookup(first.sourceId, first.relPath);
    if (row && (run.isClaimed(row) || run.isOurs(row))) continue;
    for (const member of group) run.explainedOrigin.add(`${member.sourceId}\0${member.relPath}`);
    const members: EntryRow[] = [];
    // One file is an entry of each source whose landing holds it: one member per file.
    const join = (entry: EntryRow) => {
      run.claim(entry);
      if (members.some((known) => catalog.key(known) === catalog.key(entry))) return;
      members.push(entry);
      catalog.keepHash(entry);
    };
    if (row) join(row);
    const described = versions.map((version) => {
      const landed = row !== undefined && matchOrigin(catalog, row, version).status === 'hash-match';
      const copies = landed ? [row] : versionCopies(run, version);
      // A copy another finding already explains stays where that finding puts it; it is named, not moved here.
      for (const copy of copies) if (copy === row || !run.isClaimed(copy)) join(copy);
      const spacePaths = [...new Set(copies.map((copy) => catalog.absolutePath(copy)))];
      // A fetched copy an apply run placed (in the conflicts folder, which no scan walks) is back too.
      return { ...originVersion(version), landed, inSpace: copies.length > 0 || run.recovery.placedAt(version) || movedCopy(run, version), spacePaths };
    });
    const landingPath = `${catalog.source(first.sourceId).root}/${first.relPath}`;
    const lost = versions.filter((_version, index) => !described[index]!.inSpace);
    run.emit({
      kind: 'conflict',
      rule: 'overwritten-by-other-transfer',
      files: members.map((member) => catalog.fileRef(member, { hash: true })),
      paths: members.length > 0 ? undefined : [landingPath],
      // The path the transfers shared names the problem, whichever copies of its versions turn up.
      idParts: [landingPath],
      sources: group.map((member) => member.sourceId),
      evidence: { versions: described, lostVersions: lost.length, outstanding: lost.map((version) => targetOf(version, 'overwritten-version')) },
    });
  }
}

/** Where else in the space an origin version's content is (not in our own archive or conflicts folders). */
export function versionCopies(run: ClassifyRun, version: OriginRow): EntryRow[] {
  return copiesInSpace(run, version, maxCopiesPerVersion).filter((copy) => !run.isOurs(copy));
}

/**
 * A copy of the version that an apply run moved on since it was catalogued (a conflict member into
 * the run's conflicts folder, which no scan walks), still holding the version's content where it is.
 */
export function movedCopy(run: ClassifyRun, version: OriginRow): boolean {
  const { catalog } = run;
  const wanted = preferredHash(version);
  return sameSizeAndName(catalog, version, { removed: true }).some((row) => {
    const moved = catalog.movedFile(catalog.absolutePath(row));
    if (!moved || moved.size !== version.size) return false;
    if (!wanted) return true;
    if (wanted.kind === 'xxh128' && moved.hash !== null) return moved.hash === wanted.value;
    return catalog.digestAt(moved.path, wanted.kind === 'xxh128' ? 'full' : wanted.kind) === wanted.value;
  });
}

/** Versions that are known to differ; entries with no comparable hash count as the same version. */
function distinctVersions(rows: OriginRow[]): OriginRow[] {
  const distinct: OriginRow[] = [];
  for (const row of rows) {
    if (!distinct.some((known) => sameOriginContent(known, row) !== false)) distinct.push(row);
  }
  return distinct;
}

/** Space files of one logical path that hold different, complete content. */
export function emitConflict(run: ClassifyRun, rows: EntryRow[], rule: string, evidence: ConflictEvidence): void {
  for (const row of rows) {
    run.claim(row);
    run.catalog.keepHash(row);
  }
  run.emit({
    kind: 'conflict',
    rule,
    files: rows.map((row) => run.catalog.fileRef(row, { hash: true })),
    evidence,
  });
}
