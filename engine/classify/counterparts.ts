/**
 * Space files that are one logical file: the same relative path in different sources, or a staged
 * inbox file and its mapped place in the layout. Within such a group, empty copies are
 * placeholders, unfinished copies are partial, and what remains with different content conflicts.
 */
import type { EntryRow } from './catalog.ts';
import { emitConflict } from './conflict.ts';
import { isInside, mappedPath } from './layout.ts';
import { emitCollisionAfterMapping } from './name-collision.ts';
import { emitPartial, partialAgainst } from './partial.ts';
import { emitPlaceholder } from './placeholder.ts';
import type { ClassifyRun } from './run.ts';

export function classifyCounterparts(run: ClassifyRun): void {
  const { catalog } = run;
  const statement = catalog.db
    .prepare(
      `SELECT e.id, e.nfcKey FROM Entry e
        WHERE e.type = 'file' AND e.removedScanId IS NULL AND e.errorCode IS NULL AND e.nfcKey IN (
          SELECT nfcKey FROM Entry WHERE type = 'file' AND removedScanId IS NULL
           GROUP BY nfcKey HAVING COUNT(DISTINCT sourceId) > 1)
        ORDER BY e.nfcKey, e.sourceId`,
    )
    .safeIntegers(true);
  let key: string | null = null;
  let ids: bigint[] = [];
  const flush = (): void => {
    if (ids.length > 1) judgeGroup(run, catalog.rowsById(ids), 'same-relative-path');
    ids = [];
  };
  for (const { id, nfcKey } of statement.iterate() as IterableIterator<{ id: bigint; nfcKey: string }>) {
    if (nfcKey !== key) {
      flush();
      key = nfcKey;
    }
    ids.push(id);
  }
  flush();
  classifyMapped(run);
}

/** Staged files whose mapped place in the layout already holds a file. */
function classifyMapped(run: ClassifyRun): void {
  const { catalog } = run;
  const { mappings } = catalog.config.layout;
  const staged = [...catalog.sources.values()]
    .filter((source) => source.spaceRoot !== null && (source.spaceRoot === '' || mappings.some((mapping) => isInside(source.spaceRoot!, mapping.from) || isInside(mapping.from, source.spaceRoot!))))
    .map((source) => source.id);
  if (staged.length === 0) return;
  const where = `e.type = 'file' AND e.errorCode IS NULL AND e.sourceId IN (${staged.map(() => '?').join(',')})`;
  for (const row of catalog.entries(where, ...staged)) {
    const spacePath = catalog.spacePath(row);
    const target = spacePath === null ? null : mappedPath(spacePath, catalog.config.layout);
    if (target === null || target === spacePath) continue;
    const counterpart = catalog.lookupSpacePath(target);
    if (counterpart) {
      if (counterpart.type === 'file' && !counterpart.errorCode) judgeGroup(run, [row, counterpart], 'staged-vs-layout');
      continue;
    }
    const folded = catalog.lookupFoldedSpacePath(target);
    if (folded) emitCollisionAfterMapping(run, row, folded, target);
  }
}

function judgeGroup(run: ClassifyRun, rows: EntryRow[], rule: string): void {
  const { catalog } = run;
  const unique = new Map<string, EntryRow>();
  // Archive sets keep old versions on purpose: a different version there is not a conflict.
  for (const row of rows) if (!run.isClaimed(row) && !catalog.fileRef(row).intended) unique.set(catalog.key(row), row);
  let members = [...unique.values()];
  if (members.length < 2) return;
  const largest = members.reduce((best, row) => (row.size > best.size ? row : best));
  const counterpartOf = (row: EntryRow) => ({ counterpart: catalog.absolutePath(largest), size: Number(row.size), counterpartSize: Number(largest.size) });
  for (const row of members) {
    if (row.size === 0n && largest.size > 0n) emitPlaceholder(run, row, 'zero-byte-vs-counterpart', counterpartOf(row));
  }
  members = members.filter((row) => !run.isClaimed(row));
  for (const row of members) {
    if (row === largest) continue;
    const reference = row.size < largest.size ? largest : members.find((other) => other !== row && other.size === row.size);
    const partialRule = reference ? partialAgainst(run, row, reference) : null;
    if (partialRule) emitPartial(run, row, partialRule, { counterpart: catalog.absolutePath(reference!), size: Number(row.size), counterpartSize: Number(reference!.size) });
  }
  members = members.filter((row) => !run.isClaimed(row));
  const hashes = new Set(members.map((row) => catalog.contentHash(row)));
  if (members.length > 1 && hashes.size > 1 && !hashes.has(null)) {
    emitConflict(run, members, rule, { versions: hashes.size });
  }
}
