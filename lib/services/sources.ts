import 'server-only';
import { prisma } from '../db.ts';

export interface SourceSummary {
  id: string;
  host: string | null;
  kind: string;
  class: string;
  landing: string;
  files: number;
  bytes: number;
  unreadable: number;
  lastScanId: number | null;
}

/** Sources in the catalog with their present files and bytes. */
export async function listSources(): Promise<SourceSummary[]> {
  const db = prisma();
  const [sources, totals, unreadable] = await Promise.all([
    db.source.findMany({ orderBy: { id: 'asc' } }),
    db.entry.groupBy({
      by: ['sourceId'],
      where: { type: 'file', removedScanId: null },
      _count: { _all: true },
      _sum: { size: true },
    }),
    db.entry.groupBy({ by: ['sourceId'], where: { errorCode: { not: null }, removedScanId: null }, _count: { _all: true } }),
  ]);
  const totalsBySource = new Map(totals.map((row) => [row.sourceId, row]));
  const unreadableBySource = new Map(unreadable.map((row) => [row.sourceId, row._count._all]));
  return sources.map((source) => ({
    id: source.id,
    host: source.host,
    kind: source.kind,
    class: source.class,
    landing: source.landing,
    files: totalsBySource.get(source.id)?._count._all ?? 0,
    bytes: Number(totalsBySource.get(source.id)?._sum.size ?? 0n),
    unreadable: unreadableBySource.get(source.id) ?? 0,
    lastScanId: source.lastScanId,
  }));
}
