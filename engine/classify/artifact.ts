/** artifact: OS litter and sync-tool conflict copies, recognised by name. */
import type { EntryRow } from './catalog.ts';
import { artifactRule, copySuffixBase } from './names.ts';
import type { ClassifyRun } from './run.ts';

/** Returns true when the entry is an artifact (and was reported). */
export function classifyArtifact(run: ClassifyRun, row: EntryRow, oneDriveConflictBase: (name: string) => string | null): boolean {
  let rule = artifactRule(row.name, row.type);
  let original = rule === 'copy-suffix' ? copySuffixBase(row.name) : null;
  if (rule === null && row.type === 'file') {
    original = oneDriveConflictBase(row.name);
    if (original !== null) rule = 'onedrive-conflict-copy';
  }
  if (rule === null) return false;
  const { catalog } = run;
  const evidence: Record<string, unknown> = { name: row.name, type: row.type };
  if (original !== null) {
    const relOriginal = row.parent === '' ? original : `${row.parent}/${original}`;
    const counterpart = catalog.lookup(row.sourceId, relOriginal);
    evidence.original = counterpart ? catalog.absolutePath(counterpart) : null;
    if (counterpart) {
      const own = catalog.contentHash(row);
      evidence.sameContentAsOriginal = own !== null && own === catalog.contentHash(counterpart);
    }
  }
  run.claim(row);
  run.emit({ kind: 'artifact', rule, files: [catalog.fileRef(row, { hash: row.type === 'file' })], evidence });
  return true;
}
