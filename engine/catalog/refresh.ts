/**
 * Refreshing the catalog of some sources: scan them, then import their origin manifests and
 * transfer logs, and count their figures for the dashboard. What `reconcile scan` and a background
 * scan job run.
 */
import { UserError, type Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { importInventory, importSourceInventory, type ImportSummary, type SourceInventoryResult } from '../inventory/index.ts';
import { configuredSources, scan, upsertSource, type ScanOptions, type ScanSummary } from '../scan/index.ts';
import { countAfterScan, refreshSourceStats } from './stats.ts';

export interface RefreshSummary extends ScanSummary {
  /** Per source id: the inventory imported (or found already imported) and the logs parsed. */
  inventories: Record<string, SourceInventoryResult>;
}

export async function refreshCatalog(db: Db, options: Omit<ScanOptions, 'afterWalk'>): Promise<RefreshSummary> {
  const inventories: Record<string, SourceInventoryResult> = {};
  const lastScan = db.prepare('SELECT lastScanId FROM Source WHERE id = ?').pluck();
  const previousScanIds = new Map(options.sources.map((source) => [source.id, (lastScan.get(source.id) as number | null | undefined) ?? null]));
  const summary = await scan(db, {
    ...options,
    afterWalk: async (source) => {
      if (source.manifestPath || source.logPaths.length > 0) inventories[source.id] = await importSourceInventory(db, source);
    },
  });
  // The dashboard's figures, counted now rather than on a page view.
  countAfterScan(db, summary.scanId, summary.sources, previousScanIds);
  const imported = Object.entries(inventories).filter(([, result]) => result.inventory && !result.inventory.alreadyImported);
  refreshSourceStats(db, ['origins'], imported.map(([id]) => id));
  return { ...summary, inventories };
}

/** A source as the catalog knows it; one declared in the config is registered first (before its first scan). */
export function knownSource(db: Db, config: Config, sourceId: string): { id: string; host: string | null; origin: string | null } {
  if (config.sources.some((source) => source.id === sourceId)) upsertSource(db, configuredSources(config, [sourceId])[0]!);
  const known = db.prepare('SELECT id, host, origin FROM Source WHERE id = ?').get(sourceId) as { id: string; host: string | null; origin: string | null } | undefined;
  if (!known) throw new UserError(`unknown source ${sourceId}: declare it in the config or scan it first`);
  return known;
}

/** Imports one inventory file for a source: `reconcile import`, or a manifest uploaded in the browser. */
export async function importSourceFile(db: Db, config: Config, sourceId: string, file: string): Promise<ImportSummary> {
  const known = knownSource(db, config, sourceId);
  const remote = config.sources.find((source) => source.id === sourceId)?.remote;
  const result = await importInventory(db, { id: known.id, host: known.host ?? undefined, origin: known.origin ?? undefined, remote }, file);
  if (!result.alreadyImported) refreshSourceStats(db, ['origins'], [known.id]);
  return result;
}
