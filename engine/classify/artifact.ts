/**
 * What the name alone tells: content-free litter (artifact), trash folders (trash, one finding per
 * folder), AppleDouble `._X` forks (kept with their file; an orphan is a finding of its own), and
 * copy or conflict-copy names, which are only noted here: their bytes decide (see copies.ts).
 */
import type { EntryRow } from './catalog.ts';
import { appleDoubleDataName, copyName, litterRule, trashFolderRule } from './names.ts';
import type { ClassifyRun } from './run.ts';

/** Returns true when the entry was explained by its name (and reported, or kept with its file). */
export function classifyArtifact(run: ClassifyRun, row: EntryRow, oneDriveConflictBase: (name: string) => string | null): boolean {
  if (classifyTrash(run, row) || classifyAppleDouble(run, row)) return true;
  const rule = litterRule(row.name, row.type, Number(row.size));
  if (rule === null) {
    noteCopyName(run, row, oneDriveConflictBase);
    return false;
  }
  run.claim(row);
  run.emit({ kind: 'artifact', rule, files: [run.catalog.fileRef(row, { hash: row.type === 'file' })], evidence: { name: row.name, type: row.type } });
  return true;
}

function siblingPath(row: EntryRow, name: string): string {
  return row.parent === '' ? name : `${row.parent}/${name}`;
}

/** A copy-suffixed or conflict-copy name: remembered for the copies pass, which compares bytes. */
function noteCopyName(run: ClassifyRun, row: EntryRow, oneDriveConflictBase: (name: string) => string | null): void {
  if (row.type !== 'file') return;
  const named = copyName(row.name);
  const oneDrive = named === null ? oneDriveConflictBase(row.name) : null;
  const copy = named ?? (oneDrive === null ? null : { rule: 'onedrive-conflict-copy', original: oneDrive });
  if (copy) run.copyNamed.push({ row, rule: copy.rule, originalRel: siblingPath(row, copy.original) });
}

/**
 * `._X` carries X's resource fork and extended attributes. Beside its data file it belongs to that
 * file: claimed (so no pass moves it apart) and attached to X's FileRef, so any move of X takes it
 * along. Without a data file it is an orphan: its own finding, left in place.
 */
function classifyAppleDouble(run: ClassifyRun, row: EntryRow): boolean {
  const dataName = row.type === 'file' ? appleDoubleDataName(row.name) : null;
  if (dataName === null) return false;
  const { catalog } = run;
  const data = catalog.lookup(row.sourceId, siblingPath(row, dataName));
  run.claim(row);
  if (data) {
    if (data.type === 'file') catalog.attachAppleDouble(data, row);
    return true;
  }
  run.emit({
    kind: 'appledouble',
    rule: 'orphan-appledouble',
    files: [catalog.fileRef(row, { hash: true })],
    evidence: { dataFile: `${catalog.source(row.sourceId).root}/${siblingPath(row, dataName)}` },
  });
  return true;
}

/**
 * A trash folder holds files a person deleted on the origin: user files, reviewed together. Every
 * file below is claimed, so no other pass proposes moves inside it; the evidence says how many of
 * them hold content found nowhere else in the space.
 */
function classifyTrash(run: ClassifyRun, row: EntryRow): boolean {
  const rule = trashFolderRule(row.name, row.type);
  if (rule === null) return false;
  const { catalog } = run;
  run.claim(row);
  // Entries below the folder: relPath between `folder/` and `folder0` ('0' follows '/').
  const [from, to] = [Buffer.concat([row.relPath, Buffer.from('/')]), Buffer.concat([row.relPath, Buffer.from('0')])];
  const below = [...catalog.entries(`e.sourceId = ? AND e.relPath > ? AND e.relPath < ? AND e.type = 'file'`, row.sourceId, from, to)];
  if (below.length === 0) return true;
  const elsewhere = catalog.prepared(
    `SELECT 1 FROM Entry e WHERE e.fullHash = ? AND e.removedScanId IS NULL AND NOT (e.sourceId = ? AND e.relPath > ? AND e.relPath < ?) LIMIT 1`,
  );
  let uniqueFiles = 0;
  let uniqueBytes = 0;
  const files = below.map((file) => {
    run.claim(file);
    // Every move out of the folder re-checks the full hash; kept so the next plan reads none.
    catalog.keepHash(file);
    const ref = catalog.fileRef(file, { hash: true });
    if (file.size > 0n && (ref.hash === null || elsewhere.get(ref.hash, row.sourceId, from, to) === undefined)) {
      uniqueFiles += 1;
      uniqueBytes += ref.size;
    }
    return ref;
  });
  run.emit({
    kind: 'trash',
    rule,
    files,
    idParts: [catalog.key(row)],
    size: files.reduce((sum, file) => sum + file.size, 0),
    evidence: { folder: catalog.absolutePath(row), uniqueFiles, uniqueBytes },
  });
  return true;
}
