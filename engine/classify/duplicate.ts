/**
 * duplicate: the same content (≥ 1 byte) at different paths, within or across sources. Copies in
 * archive sets are marked intended; reclaimable bytes count only the unintended extra copies.
 */
import { iterateDuplicateGroups } from '../catalog/index.ts';
import type { EntryRow } from './catalog.ts';
import { mappedPath } from './layout.ts';
import type { ClassifyRun } from './run.ts';
import { freePlace } from './staged.ts';

export function classifyDuplicates(run: ClassifyRun): void {
  const { catalog } = run;
  for (const group of iterateDuplicateGroups(catalog.db)) {
    const ids = group.members.map((member) => member.entryId);
    const unique = new Map<string, EntryRow>();
    for (const row of catalog.rowsById(ids)) {
      if (!run.isClaimed(row) && !run.isOurs(row)) unique.set(catalog.key(row), row);
    }
    if (unique.size < 2) continue;
    const rows = [...unique.values()];
    const files = rows.map((row) => catalog.fileRef(row));
    const unintended = files.filter((file) => !file.intended).length;
    for (const row of rows) run.claim(row);
    // Staged copies whose mapped place is free: the plan may move its keeper there, nowhere else.
    const freePlaces = Object.fromEntries(
      files.flatMap((file) => {
        const target = file.spacePath === null ? null : mappedPath(file.spacePath, catalog.config.layout);
        return target !== null && target !== file.spacePath && freePlace(run, target) ? [[file.path, `${catalog.config.space}/${target}`]] : [];
      }),
    );
    run.emit({
      kind: 'duplicate',
      rule: unintended === files.length ? 'same-content' : 'same-content-archive-set',
      files,
      idParts: [group.hash, String(group.size)],
      size: group.size,
      hash: group.hash,
      reclaimableBytes: Math.max(0, unintended - 1) * group.size,
      evidence: { copies: files.length, intendedCopies: files.length - unintended, inodes: group.inodes, ...(Object.keys(freePlaces).length > 0 ? { freePlaces } : {}) },
    });
  }
}
