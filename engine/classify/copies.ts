/**
 * Copy-suffix names (`X (1).ext`, `X - Copy.ext`, `X copy.ext`) and sync-tool conflict copies
 * (Syncthing, Nextcloud/Dropbox, rclone bisync, OneDrive `X-HOST.ext`) next to their original. The
 * bytes decide: the same content is a duplicate (left to the duplicates pass, which runs next);
 * other content is a conflict (the winner stays, the other versions go to the conflicts folder);
 * a copy with no original is left where it is. Runs after the passes that explain damaged files,
 * so a truncated copy stays a partial.
 */
import type { EntryRow } from './catalog.ts';
import { emitConflict } from './conflict.ts';
import type { ClassifyRun, CopyNamed } from './run.ts';

export function classifyCopies(run: ClassifyRun): void {
  const { catalog } = run;
  const groups = new Map<string, { original: EntryRow; copies: Map<string, CopyNamed> }>();
  for (const copy of run.copyNamed) {
    if (run.isClaimed(copy.row) || copy.row.errorCode) continue;
    const original = catalog.lookup(copy.row.sourceId, copy.originalRel);
    if (!original || original.type !== 'file' || original.errorCode || run.isClaimed(original) || run.isOurs(original)) continue;
    const key = catalog.key(original);
    const group = groups.get(key) ?? { original, copies: new Map() };
    // A folder several sources land in lists the same physical copy once per source: keep one.
    if (!group.copies.has(catalog.key(copy.row))) group.copies.set(catalog.key(copy.row), copy);
    groups.set(key, group);
  }
  run.copyNamed.length = 0;
  for (const { original, copies } of groups.values()) {
    const differing = [...copies.values()].filter((copy) => !sameContentAsOriginal(run, copy.row, original));
    if (differing.length === 0) continue;
    const rules = [...new Set(differing.map((copy) => copy.rule))];
    emitConflict(run, [original, ...differing.map((copy) => copy.row)], rules.length === 1 ? rules[0]! : 'copy-names', {
      original: catalog.absolutePath(original),
      copies: differing.map((copy) => ({ path: catalog.absolutePath(copy.row), rule: copy.rule })),
    });
  }
}

/** Equal sizes and equal full hashes (read now for the few copies the scan did not hash). */
function sameContentAsOriginal(run: ClassifyRun, copy: EntryRow, original: EntryRow): boolean {
  if (copy.size !== original.size) return false;
  const own = run.catalog.contentHash(copy);
  return own !== null && own === run.catalog.contentHash(original);
}
