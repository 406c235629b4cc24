/**
 * staged: inbox files with no problem of their own whose mapped place in the layout is free. Not a
 * problem the transfers left but the routine work of draining the inbox, one finding per file so a
 * person reviews (and the plan moves) exactly what lands where. Runs last: litter, partials,
 * placeholders, duplicates, conflicts and collisions have claimed their files by then.
 */
import fs from 'node:fs';
import type { LayoutConfig } from '../config/index.ts';
import type { EntryRow } from './catalog.ts';
import { isInside, mappingOf, roleOf } from './layout.ts';
import { windowsNameRule } from './names.ts';
import type { ClassifyRun } from './run.ts';

export interface StagedEntry {
  row: EntryRow;
  spacePath: string;
  mapping: LayoutConfig['mappings'][number];
  /** Space-relative place in the layout. */
  target: string;
}

/** Readable files of the sources whose landing overlaps a mapping, with where each belongs. */
export function* stagedEntries(run: ClassifyRun): Generator<StagedEntry> {
  const { catalog } = run;
  const { layout } = catalog.config;
  const overlaps = (root: string) => root === '' || layout.mappings.some((mapping) => isInside(root, mapping.from) || isInside(mapping.from, root));
  const staged = [...catalog.sources.values()].filter((source) => source.spaceRoot !== null && overlaps(source.spaceRoot)).map((source) => source.id);
  if (staged.length === 0) return;
  const where = `e.type = 'file' AND e.errorCode IS NULL AND e.sourceId IN (${staged.map(() => '?').join(',')})`;
  for (const row of catalog.entries(where, ...staged)) {
    const spacePath = catalog.spacePath(row);
    const mapping = spacePath === null ? null : mappingOf(spacePath, layout);
    if (spacePath === null || mapping === null) continue;
    const target = mapping.to + spacePath.slice(mapping.from.length);
    if (target !== spacePath) yield { row, spacePath, mapping, target };
  }
}

/**
 * True when a file may be moved to `target` (space-relative): a layout place, nothing there (in the
 * catalog, up to case/NFC, or on disk) and its folder exists or can be created.
 */
export function freePlace(run: ClassifyRun, target: string): boolean {
  return layoutPlace(target, run.catalog.config.layout) && isFree(run, target) && acceptsFiles(run, parentOf(target), run.placeFolders);
}

export function classifyStaged(run: ClassifyRun): void {
  const { catalog } = run;
  const { space } = catalog.config;
  // Two staged files may map onto one place (two mappings into one folder), or a fetched file was
  // placed there: only the first moves; the other meets it as a counterpart on the next plan.
  const planned = run.plannedPlaces;
  for (const { row, mapping, target } of stagedEntries(run)) {
    if (run.isOurs(row) || run.isClaimed(row) || run.underClaimedFolder(row)) continue;
    if (target.slice(mapping.to.length + 1).split('/').some((name) => windowsNameRule(name) !== null)) continue;
    const folded = fold(target);
    if (planned.has(folded) || !freePlace(run, target)) continue;
    planned.add(folded);
    run.claim(row);
    // The move's precondition carries the full hash; kept in the catalog so the next plan reads none.
    catalog.keepHash(row);
    run.emit({
      kind: 'staged',
      rule: 'mapped-into-layout',
      files: [catalog.fileRef(row, { hash: true })],
      evidence: { to: `${space}/${target}`, mapping: { from: mapping.from, to: mapping.to } },
    });
  }
}

/** A place the plan may fill: not our archive/conflicts folders, not back inside a staging folder. */
function layoutPlace(target: string, layout: LayoutConfig): boolean {
  return roleOf(target, layout) !== 'reconciliation' && !layout.mappings.some((mapping) => isInside(target, mapping.from));
}

/** Nothing there in the catalog (exactly or up to case/NFC) nor on disk right now. */
function isFree(run: ClassifyRun, target: string): boolean {
  const { catalog } = run;
  if (catalog.lookupSpacePath(target) || catalog.lookupFoldedSpacePath(target)) return false;
  return onDisk(`${catalog.config.space}/${target}`) === 'absent';
}

/** The folder exists as a folder, or can be created: no file in its way, no name differing only by case. */
function acceptsFiles(run: ClassifyRun, folder: string, known: Map<string, boolean>): boolean {
  if (folder === '') return true;
  const cached = known.get(folder);
  if (cached !== undefined) return cached;
  const { catalog } = run;
  const entry = catalog.lookupSpacePath(folder);
  let accepts: boolean;
  if (entry) accepts = entry.type === 'dir';
  else if (catalog.lookupFoldedSpacePath(folder)) accepts = false;
  else {
    const state = onDisk(`${catalog.config.space}/${folder}`);
    accepts = state === 'dir' || (state === 'absent' && acceptsFiles(run, parentOf(folder), known));
  }
  known.set(folder, accepts);
  return accepts;
}

function onDisk(file: string): 'absent' | 'dir' | 'other' {
  try {
    return fs.lstatSync(file).isDirectory() ? 'dir' : 'other';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'other';
  }
}

function parentOf(spacePath: string): string {
  const slash = spacePath.lastIndexOf('/');
  return slash < 0 ? '' : spacePath.slice(0, slash);
}

function fold(spacePath: string): string {
  return spacePath.normalize('NFC').toLowerCase().normalize('NFC');
}
