/**
 * Paths named by transfer logs: placed under the origin root (or, for robocopy's
 * destination-side errors, under the landing) and matched to what the source holds — an entry of
 * its latest origin inventory, else an entry of its landing in the space. Windows and cloud paths
 * are case-insensitive and Macs write NFD, so an exact match is tried first, then one after NFC
 * and case folding (the catalog's nfcKey/foldKey). A path that matches nothing is not attached.
 */
import type { Db } from '../db/index.ts';
import { nameKeys } from './paths.ts';

/** What a relative path is relative to: the origin root, or the source's landing in the space. */
export type LogPathSide = 'origin' | 'space';

export interface PlacedPath {
  rel: string;
  side: LogPathSide;
}

export interface LogPathMatch {
  /** The spelling of the entry it matched (the origin's, else the space's). */
  relPath: string;
  via: 'origin' | 'space';
}

const trimSlashes = (value: string): string => value.replace(/^\/+|\/+$/g, '').replace(/\/{2,}/g, '/');

/** A Windows path without its long-path (`\\?\`, `\\?\UNC\`) prefix, with `\` separators, in NFC. */
export function plainWindowsPath(text: string): string {
  let value = text.normalize('NFC').replaceAll('/', '\\');
  if (/^\\\\\?\\UNC\\/i.test(value)) value = `\\\\${value.slice(8)}`;
  else if (/^\\\\[?.]\\/.test(value)) value = value.slice(4);
  const lead = value.startsWith('\\\\') ? '\\\\' : '';
  return lead + value.slice(lead.length).replace(/\\{2,}/g, '\\');
}

/** The first base (case-insensitively, as Windows compares) that holds a Windows path, and the path below it. */
export function placeWindowsPath(text: string, bases: { root: string | undefined; side: LogPathSide }[]): PlacedPath | undefined {
  const value = plainWindowsPath(text);
  for (const base of bases) {
    if (!base.root) continue;
    const root = plainWindowsPath(base.root).replace(/\\+$/, '');
    if (root === '' || value.length < root.length || value.slice(0, root.length).toLowerCase() !== root.toLowerCase()) continue;
    const next = value[root.length];
    if (next !== undefined && next !== '\\') continue;
    return { rel: trimSlashes(value.slice(root.length).replaceAll('\\', '/')), side: base.side };
  }
  return undefined;
}

/** A POSIX path below the origin (relative paths already are); undefined when it lies elsewhere. */
export function placePosixPath(text: string, origin: string | undefined): PlacedPath | undefined {
  if (!text.startsWith('/')) return { rel: trimSlashes(text.replace(/^(?:\.\/)+/, '')), side: 'origin' };
  if (!origin) return undefined;
  for (const [value, base] of [
    [text, origin],
    [text.normalize('NFC'), origin.normalize('NFC')],
  ] as const) {
    const root = base.replace(/\/+$/, '');
    if (value === root || value.startsWith(`${root}/`)) return { rel: trimSlashes(value.slice(root.length)), side: 'origin' };
  }
  return undefined;
}

interface Wanted extends PlacedPath {
  indices: number[];
  match?: LogPathMatch;
}

/** Matches each placed path to an entry of the source (undefined: it names nothing the source has). */
export function matchLogPaths(db: Db, sourceId: string, paths: (PlacedPath | undefined)[]): (LogPathMatch | undefined)[] {
  const byKey = new Map<string, Wanted>();
  paths.forEach((placed, index) => {
    if (!placed || placed.rel === '') return;
    const key = `${placed.side}\0${placed.rel}`;
    const wanted = byKey.get(key) ?? { ...placed, indices: [] };
    wanted.indices.push(index);
    byKey.set(key, wanted);
  });
  const all = [...byKey.values()];
  const inventoryId = db.prepare('SELECT MAX(id) FROM Inventory WHERE sourceId = ?').pluck().get(sourceId) as number | null;
  const origin = new OriginMatcher(db, sourceId, inventoryId);
  const space = new SpaceMatcher(db, sourceId);
  origin.match(all.filter((wanted) => wanted.side === 'origin'));
  space.match(all.filter((wanted) => !wanted.match));
  // Destination-side paths the space lacks may still be origin entries (the landing mirrors the origin).
  origin.match(all.filter((wanted) => !wanted.match && wanted.side === 'space'));
  const results: (LogPathMatch | undefined)[] = paths.map(() => undefined);
  for (const wanted of all) for (const index of wanted.indices) results[index] = wanted.match;
  return results;
}

class OriginMatcher {
  private readonly exact;

  constructor(
    private readonly db: Db,
    private readonly sourceId: string,
    private readonly inventoryId: number | null,
  ) {
    this.exact = db.prepare('SELECT relPath FROM OriginEntry WHERE sourceId = ? AND relPath = ? AND inventoryId = ? LIMIT 1').pluck();
  }

  match(wanted: Wanted[]): void {
    if (this.inventoryId === null || wanted.length === 0) return;
    const folded = new Map<string, Wanted[]>();
    for (const item of wanted) {
      const found = this.exact.get(this.sourceId, item.rel, this.inventoryId) as string | undefined;
      if (found !== undefined) item.match = { relPath: found, via: 'origin' };
      else {
        const { foldKey } = nameKeys(item.rel);
        folded.set(foldKey, [...(folded.get(foldKey) ?? []), item]);
      }
    }
    if (folded.size === 0) return;
    // OriginEntry has no foldKey index (it would slow every manifest import): one pass over the
    // inventory settles every path that only differs by case or normalisation.
    const best = new Map<Wanted, { relPath: string; sameNfc: boolean }>();
    const rows = this.db
      .prepare('SELECT relPath, nfcKey, foldKey FROM OriginEntry WHERE sourceId = ? AND inventoryId = ?')
      .iterate(this.sourceId, this.inventoryId) as IterableIterator<{ relPath: string; nfcKey: string; foldKey: string }>;
    for (const row of rows) {
      for (const item of folded.get(row.foldKey) ?? []) {
        const sameNfc = row.nfcKey === nameKeys(item.rel).nfcKey;
        const current = best.get(item);
        if (!current || (sameNfc && !current.sameNfc) || (sameNfc === current.sameNfc && row.relPath < current.relPath)) best.set(item, { relPath: row.relPath, sameNfc });
      }
    }
    for (const [item, found] of best) item.match = { relPath: found.relPath, via: 'origin' };
  }
}

class SpaceMatcher {
  private readonly exact;
  private readonly folded;

  constructor(
    db: Db,
    private readonly sourceId: string,
  ) {
    this.exact = db.prepare('SELECT path FROM Entry WHERE sourceId = ? AND relPath = ? AND removedScanId IS NULL').pluck();
    // `+relPath`: keeps SQLite on the (sourceId, foldKey) index (see Catalog.lookupFoldedSpacePath).
    this.folded = db.prepare('SELECT path, nfcKey FROM Entry WHERE sourceId = ? AND foldKey = ? AND removedScanId IS NULL ORDER BY +relPath LIMIT 16');
  }

  match(wanted: Wanted[]): void {
    for (const item of wanted) {
      const found = this.exact.get(this.sourceId, Buffer.from(item.rel)) as string | undefined;
      if (found !== undefined) {
        item.match = { relPath: found, via: 'space' };
        continue;
      }
      const { nfcKey, foldKey } = nameKeys(item.rel);
      const rows = this.folded.all(this.sourceId, foldKey) as { path: string; nfcKey: string }[];
      const row = rows.find((candidate) => candidate.nfcKey === nfcKey) ?? rows[0];
      if (row) item.match = { relPath: row.path, via: 'space' };
    }
  }
}
