/**
 * Refreshing the catalog of some sources: scan them, then import their origin manifests and
 * transfer logs. What `reconcile scan` and a background scan job run.
 */
import type { Db } from '../db/index.ts';
import { importSourceInventory, type SourceInventoryResult } from '../inventory/index.ts';
import { scan, type ScanOptions, type ScanSummary } from '../scan/index.ts';

export interface RefreshSummary extends ScanSummary {
  /** Per source id: the inventory imported (or found already imported) and the logs parsed. */
  inventories: Record<string, SourceInventoryResult>;
}

export async function refreshCatalog(db: Db, options: Omit<ScanOptions, 'afterWalk'>): Promise<RefreshSummary> {
  const inventories: Record<string, SourceInventoryResult> = {};
  const summary = await scan(db, {
    ...options,
    afterWalk: async (source) => {
      if (source.manifestPath || source.logPaths.length > 0) inventories[source.id] = await importSourceInventory(db, source);
    },
  });
  return { ...summary, inventories };
}
