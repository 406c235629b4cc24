/**
 * duplicate: the same content (≥ 1 byte) at different paths, within or across sources. Copies in
 * archive sets are marked intended; reclaimable bytes count only the unintended extra copies.
 */
import type { EntryRow } from './catalog.ts';
import type { ClassifyRun } from './run.ts';

export function classifyDuplicates(run: ClassifyRun): void {
  const { catalog } = run;
  const groups = catalog.db
    .prepare(
      `SELECT fullHash, size FROM Entry
        WHERE type = 'file' AND size > 0 AND fullHash IS NOT NULL AND errorCode IS NULL AND removedScanId IS NULL
        GROUP BY fullHash, size HAVING COUNT(*) > 1 ORDER BY fullHash, size`,
    )
    .safeIntegers(true)
    .iterate() as IterableIterator<{ fullHash: string; size: bigint }>;
  for (const group of groups) {
    const unique = new Map<string, EntryRow>();
    for (const row of catalog.entries("e.fullHash = ? AND e.size = ? AND e.type = 'file'", group.fullHash, group.size)) {
      if (!run.isClaimed(row) && !run.isOurs(row)) unique.set(catalog.key(row), row);
    }
    if (unique.size < 2) continue;
    const rows = [...unique.values()];
    const files = rows.map((row) => catalog.fileRef(row));
    const size = Number(group.size);
    const unintended = files.filter((file) => !file.intended).length;
    for (const row of rows) run.claim(row);
    run.emit({
      kind: 'duplicate',
      rule: unintended === files.length ? 'same-content' : 'same-content-archive-set',
      files,
      idParts: [group.fullHash, String(size)],
      size,
      hash: group.fullHash,
      reclaimableBytes: Math.max(0, unintended - 1) * size,
      evidence: { copies: files.length, intendedCopies: files.length - unintended },
    });
  }
}
