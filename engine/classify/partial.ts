/**
 * partial: unfinished transfers. By name (rsync/rclone/browser temp files and folders), by content
 * against a counterpart (a truncated prefix, a zero-filled tail), and by size against the origin.
 */
import type { EntryRow } from './catalog.ts';
import type { PartialEvidence } from './evidence.ts';
import { hasZeroTail, isPrefixOf } from './content.ts';
import { partialNameRule } from './names.ts';
import type { ClassifyRun } from './run.ts';

export function classifyPartialName(run: ClassifyRun, row: EntryRow): boolean {
  const rule = partialNameRule(row.name, row.type);
  if (rule === null) return false;
  run.claim(row);
  run.emit({
    kind: 'partial',
    rule,
    files: [run.catalog.fileRef(row, { hash: row.type === 'file' })],
    evidence: { name: row.name, type: row.type },
  });
  return true;
}

/** Why `row` is an unfinished copy of `complete` (a file in the space), or null. */
export function partialAgainst(run: ClassifyRun, row: EntryRow, complete: EntryRow): string | null {
  const { catalog } = run;
  if (row.size === 0n || complete.size === 0n) return null;
  if (row.size < complete.size) {
    return isPrefixOf(catalog.rawPath(row), Number(row.size), catalog.rawPath(complete)) ? 'truncated-copy' : null;
  }
  if (row.size === complete.size && catalog.contentHash(row) !== catalog.contentHash(complete)) {
    const own = hasZeroTail(catalog.rawPath(row), Number(row.size));
    const theirs = hasZeroTail(catalog.rawPath(complete), Number(complete.size));
    return own === true && theirs === false ? 'zero-filled-tail' : null;
  }
  return null;
}

export function emitPartial(run: ClassifyRun, row: EntryRow, rule: string, evidence: PartialEvidence): void {
  run.claim(row);
  run.emit({ kind: 'partial', rule, files: [run.catalog.fileRef(row, { hash: true })], evidence });
}
