/**
 * Origin inventories and transfer logs: what each source should contain and what went wrong on
 * the way. Public surface of engine/inventory.
 */
import type { Db } from '../db/index.ts';
import type { ScanSource } from '../scan/index.ts';
import { importInventory, type ImportSummary } from './import.ts';
import { importTransferLog, type TransferLogImport } from './log-import.ts';

export { writeManifest, type ManifestOptions, type ManifestProgress, type ManifestSummary, type ManifestWalkers } from './manifest.ts';
export { importInventory, type ImportSummary, type InventorySource } from './import.ts';
export { parseTransferLog, readTransferLog, windowsErrorCode, type TransferEventRecord, type TransferTool } from './logs.ts';
export { importTransferLog, type LogSource, type TransferLogImport } from './log-import.ts';
export { defaultLogEncoding, describeEncoding, type LogEncoding } from './log-text.ts';
export {
  importWarningsBySource,
  listImportWarnings,
  type ImportWarning,
  type ImportWarningKind,
  type SourceImportWarnings,
  type StoredImportWarning,
} from './warnings.ts';
export { originPathOf } from './paths.ts';
export { attributeNames, isCloudOnly, windowsAttributes, MANIFEST_VERSION } from './formats.ts';

export interface SourceInventoryResult {
  inventory?: ImportSummary;
  logs: TransferLogImport[];
}

/** Imports a configured source's `manifest:` and `logs:` (run by `reconcile scan` after the walk). */
export async function importSourceInventory(db: Db, source: ScanSource): Promise<SourceInventoryResult> {
  const result: SourceInventoryResult = { logs: [] };
  if (source.manifestPath) {
    result.inventory = await importInventory(db, { id: source.id, host: source.host, origin: source.origin, remote: source.remote }, source.manifestPath);
  }
  for (const file of source.logPaths) result.logs.push(await importTransferLog(db, { id: source.id, origin: source.origin, logEncoding: source.logEncoding }, file));
  return result;
}
