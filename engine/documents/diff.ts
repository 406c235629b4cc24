/**
 * Diffs of what the views read: paragraphs and page lines as sequences (Myers through jsdiff,
 * bounded by `limits.changes` edits), cells by address, zip entries by name. Run in the worker:
 * they may hold it, never the request thread.
 */
import { diffArrays } from 'diff';
import { limits } from './limits.ts';
import type { CellChange, EntryChange, PageChange, TextParts } from './types.ts';
import type { ZipEntryFacts } from './zip.ts';

/** The parts of a sequence diff, or null when it needs more than `limits.changes` edits. */
export function diffSequences(a: readonly string[], b: readonly string[], truncated = false): TextParts | null {
  const ids = new Map<string, number>();
  const idOf = (item: string) => {
    let id = ids.get(item);
    if (id === undefined) ids.set(item, (id = ids.size));
    return id;
  };
  const changes = diffArrays(a.map(idOf), b.map(idOf), { maxEditLength: limits.changes });
  if (!changes) return null;
  const parts: TextParts['parts'] = [];
  let inA = 0;
  let inB = 0;
  for (const change of changes) {
    const count = change.count ?? change.value.length;
    const items = change.added ? b.slice(inB, (inB += count)) : a.slice(inA, (inA += count));
    if (!change.added && !change.removed) inB += count;
    if (count > 0) parts.push({ op: change.added ? 'add' : change.removed ? 'remove' : 'same', lines: count, text: `${items.join('\n')}\n` });
  }
  const total = (op: 'add' | 'remove') => parts.filter((part) => part.op === op).reduce((sum, part) => sum + part.lines, 0);
  return { parts, added: total('add'), removed: total('remove'), truncated };
}

const lines = (text: string) => (text === '' ? [] : text.split('\n'));

/** Page by page: the same page number compared, pages only one side has shown whole. */
export function diffPages(a: readonly string[], b: readonly string[]): PageChange[] | null {
  const pages: PageChange[] = [];
  let edits = 0;
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const left = a[index];
    const right = b[index];
    if (left === right) {
      pages.push({ page: index + 1, status: 'same' });
      continue;
    }
    const diff = diffSequences(lines(left ?? ''), lines(right ?? ''));
    if (!diff || (edits += diff.added + diff.removed) > limits.changes) return null;
    pages.push({ page: index + 1, status: left === undefined ? 'added' : right === undefined ? 'removed' : 'changed', diff });
  }
  return pages;
}

function cellOrder(ref: string): [number, number] {
  const match = /^([A-Z]+)(\d+)$/.exec(ref);
  if (!match) return [Number.MAX_SAFE_INTEGER, 0];
  return [Number(match[2]), [...match[1]!].reduce((sum, letter) => sum * 26 + letter.charCodeAt(0) - 64, 0)];
}

/** Cells that differ, sheet by sheet in the first workbook's order, row by row. */
export function diffCells(a: { name: string; cells: [string, string][] }[], b: { name: string; cells: [string, string][] }[]) {
  const right = new Map(b.map((sheet) => [sheet.name, new Map(sheet.cells)]));
  const leftNames = new Set(a.map((sheet) => sheet.name));
  const changes: CellChange[] = [];
  let changed = 0;
  for (const sheet of a) {
    const other = right.get(sheet.name);
    if (!other) continue;
    const mine = new Map(sheet.cells);
    const refs = [...new Set([...mine.keys(), ...other.keys()])].sort((x, y) => {
      const [rowX, colX] = cellOrder(x);
      const [rowY, colY] = cellOrder(y);
      return rowX - rowY || colX - colY;
    });
    for (const cell of refs) {
      const from = mine.get(cell) ?? null;
      const to = other.get(cell) ?? null;
      if (from === to) continue;
      changed += 1;
      if (changes.length < limits.changes) changes.push({ sheet: sheet.name, cell, from, to });
    }
  }
  return {
    changes,
    changed,
    sheetsAdded: b.filter((sheet) => !leftNames.has(sheet.name)).map((sheet) => sheet.name),
    sheetsRemoved: a.filter((sheet) => !right.has(sheet.name)).map((sheet) => sheet.name),
  };
}

/** Entries added, removed, or changed in size or CRC-32, by name. */
export function diffEntries(a: readonly ZipEntryFacts[], b: readonly ZipEntryFacts[]): { changes: EntryChange[]; same: number } {
  const right = new Map(b.map((entry) => [entry.name, entry]));
  const changes: EntryChange[] = [];
  let same = 0;
  const facts = (entry: ZipEntryFacts) => ({ size: entry.size, crc32: entry.crc32 });
  for (const entry of a) {
    const other = right.get(entry.name);
    right.delete(entry.name);
    if (other && other.size === entry.size && other.crc32 === entry.crc32) same += 1;
    else if (changes.length < limits.changes) changes.push({ name: entry.name, from: facts(entry), to: other ? facts(other) : null });
  }
  for (const entry of right.values()) if (changes.length < limits.changes) changes.push({ name: entry.name, from: null, to: facts(entry) });
  changes.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return { changes, same };
}
