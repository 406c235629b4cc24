/** unreadable: entries the scan could not read, and folders a transfer could not read at the origin. */
import { unlistedOriginFolders } from './origin-entries.ts';
import type { ClassifyRun } from './run.ts';
import { logEvidence, transferProblems, type TransferEventRow } from './transfer-events.ts';

const permissionCodes = ['EACCES', 'EPERM', 'EIO'];
const permissionMessage = /operation not permitted|permission denied|access is denied|input\/output error/i;

export function classifyUnreadable(run: ClassifyRun): void {
  const { catalog } = run;
  for (const row of catalog.entries('e.errorCode IS NOT NULL')) {
    if (run.isOurs(row)) continue;
    run.claim(row);
    if (row.type === 'dir') run.unreadableFolders.push(`${catalog.absolutePath(row)}/`);
    run.emit({
      kind: 'unreadable',
      rule: `scan-${row.errorCode!.toLowerCase()}`,
      files: [catalog.fileRef(row)],
      evidence: { errorCode: row.errorCode, errorMessage: row.errorMessage, type: row.type },
    });
  }
  // A folder the origin's manifest could not list (macOS privacy protection without Full Disk
  // Access): the origin's files below it are unknown, so nothing there can be said complete.
  for (const folder of unlistedOriginFolders(catalog.db)) {
    const source = catalog.sources.get(folder.sourceId);
    if (!source) continue;
    run.emit({
      kind: 'unreadable',
      rule: `origin-${folder.errorCode!.toLowerCase()}`,
      files: [],
      paths: [`${source.root}/${folder.relPath}`],
      sources: [folder.sourceId],
      evidence: { originPath: folder.originPath, errorCode: folder.errorCode, listedBy: 'origin manifest' },
    });
  }
  // A file the inventory lists is reported as missing (with the log line); the log alone speaks
  // for what no inventory lists, such as a whole folder the origin's privacy rules blocked.
  const inInventory = catalog.prepared(
    'SELECT 1 FROM OriginEntry WHERE sourceId = ? AND relPath = ? AND inventoryId = (SELECT MAX(id) FROM Inventory WHERE sourceId = ?)',
  );
  for (const event of transferProblems(catalog.db, ['error'])) {
    if (!isPermissionError(event) || inInventory.get(event.sourceId, event.relPath, event.sourceId)) continue;
    const source = catalog.sources.get(event.sourceId);
    if (!source) continue;
    run.emit({
      kind: 'unreadable',
      rule: `transfer-${(event.code ?? 'eacces').toLowerCase()}`,
      files: [],
      paths: [`${source.root}/${event.relPath.replace(/\/+$/, '')}`],
      sources: [event.sourceId],
      evidence: logEvidence(source, event),
    });
  }
}

function isPermissionError(event: TransferEventRow): boolean {
  return event.code ? permissionCodes.includes(event.code.toUpperCase()) : permissionMessage.test(event.message);
}
