/**
 * name-collision: names that become one after NFC normalisation or case folding in one folder
 * (Mac and Windows SMB clients show only one of them), and names Windows/SMB cannot hold.
 */
import type { EntryRow } from './catalog.ts';
import { windowsNameRule } from './names.ts';
import type { ClassifyRun } from './run.ts';

export function classifyWindowsName(run: ClassifyRun, row: EntryRow): void {
  const rule = windowsNameRule(row.name);
  if (rule === null) return;
  run.emit({
    kind: 'name-collision',
    rule,
    // Hashed like every other collision: a version hash saved later must not change this finding.
    files: [run.catalog.fileRef(row, { hash: row.type === 'file' })],
    evidence: { name: row.name, claimedByOtherFinding: run.isClaimed(row) },
  });
}

export function classifyCaseAndNormalisation(run: ClassifyRun): void {
  const { catalog } = run;
  const groups = catalog.db
    .prepare(
      `SELECT sourceId, foldKey FROM Entry WHERE removedScanId IS NULL
        GROUP BY sourceId, foldKey HAVING COUNT(*) > 1 ORDER BY sourceId, foldKey`,
    )
    .iterate() as IterableIterator<{ sourceId: string; foldKey: string }>;
  const members = catalog.db.prepare('SELECT id FROM Entry WHERE sourceId = ? AND foldKey = ? AND removedScanId IS NULL');
  const reported = new Set<string>();
  for (const group of groups) {
    const ids = (members.all(group.sourceId, group.foldKey) as { id: number }[]).map((row) => row.id);
    const rows = catalog.rowsById(ids);
    // A collision between folders shows up once, on the folders, not again on every file inside.
    const byParent = new Map<string, EntryRow[]>();
    for (const row of rows) byParent.set(row.parent, [...(byParent.get(row.parent) ?? []), row]);
    for (const siblings of byParent.values()) {
      const distinct = new Map(siblings.map((row) => [catalog.key(row), row]));
      if (distinct.size < 2) continue;
      const key = [...distinct.keys()].sort().join('\0');
      if (reported.has(key)) continue;
      reported.add(key);
      const entries = [...distinct.values()];
      const sameNfc = new Set(entries.map((row) => row.nfcKey)).size === 1;
      run.emit({
        kind: 'name-collision',
        rule: sameNfc ? 'unicode-normalisation' : 'case-only',
        files: entries.map((row) => catalog.fileRef(row, { hash: row.type === 'file' })),
        evidence: {
          names: entries.map((row) => row.name).sort(),
          claimedByOtherFinding: entries.some((row) => run.isClaimed(row)),
        },
      });
      // Neither name moves into the layout as staged work until a person has renamed one.
      for (const row of entries) run.claim(row);
    }
  }
}

/** A staged file that, once mapped into the layout, would sit next to a name equal up to case or NFC. */
export function emitCollisionAfterMapping(run: ClassifyRun, staged: EntryRow, existing: EntryRow, target: string): void {
  run.emit({
    kind: 'name-collision',
    rule: 'collides-after-mapping',
    files: [staged, existing].map((row) => run.catalog.fileRef(row, { hash: row.type === 'file' })),
    evidence: {
      mappedTo: `${run.catalog.config.space}/${target}`,
      names: [staged.name, existing.name].sort(),
      claimedByOtherFinding: run.isClaimed(staged) || run.isClaimed(existing),
    },
  });
}
