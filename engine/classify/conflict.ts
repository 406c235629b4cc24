/**
 * conflict: one logical file with different content — in two sources, in two origin inventories
 * whose transfers landed on the same path (one overwrote the other), or across an inbox mapping.
 */
import type { EntryRow } from './catalog.ts';
import type { ConflictEvidence } from './evidence.ts';
import { contentInSpace, matchOrigin } from './origin-match.ts';
import { originVersion, overlappingOriginEntries, sameOriginContent, type OriginRow } from './origin-entries.ts';
import type { ClassifyRun } from './run.ts';

/** Two inventories put different content on one space path: the space kept only the last copy. */
export function classifyOverwrittenVersions(run: ClassifyRun): void {
  const { catalog } = run;
  for (const group of overlappingOriginEntries(catalog.db)) {
    const versions = distinctVersions(group.filter((row) => row.size > 0n));
    if (versions.length < 2) continue;
    const first = group[0]!;
    const row = catalog.lookup(first.sourceId, first.relPath);
    if (row && (run.isClaimed(row) || run.isOurs(row))) continue;
    for (const member of group) run.explainedOrigin.add(`${member.sourceId}\0${member.relPath}`);
    if (row) {
      run.claim(row);
      catalog.keepHash(row);
    }
    const described = versions.map((version) => {
      const landed = matchOrigin(catalog, row, version).status === 'hash-match';
      return { ...originVersion(version), landed, inSpace: landed || contentInSpace(run, version) };
    });
    run.emit({
      kind: 'conflict',
      rule: 'overwritten-by-other-transfer',
      files: row ? [catalog.fileRef(row, { hash: true })] : [],
      paths: row ? undefined : [`${catalog.source(first.sourceId).root}/${first.relPath}`],
      sources: group.map((member) => member.sourceId),
      evidence: { versions: described, lostVersions: described.filter((version) => !version.inSpace).length },
    });
  }
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
