/** The layout roles of the space (issue 4): where a path sits decides what the plan may do there. */
import type { LayoutConfig } from '../config/index.ts';
import type { Role } from './types.ts';

export function isInside(relPath: string, folder: string): boolean {
  return relPath === folder || relPath.startsWith(`${folder}/`);
}

/** Role of a space-relative path; the most specific folder wins (conflicts sit inside the inbox). */
export function roleOf(spacePath: string | null, layout: LayoutConfig): Role {
  if (spacePath === null) return 'outside';
  if (layout.archives.some((folder) => isInside(spacePath, folder))) return 'archive-set';
  if ([layout.journal, layout.archive, layout.conflicts].some((folder) => isInside(spacePath, folder))) {
    return 'reconciliation';
  }
  if (isInside(spacePath, layout.recovery)) return 'recovery';
  if (isInside(spacePath, layout.canonical)) return 'canonical';
  if (isInside(spacePath, layout.devices)) return 'device';
  if (isInside(spacePath, layout.inbox)) return 'inbox';
  return 'other';
}

/** Duplicates are intended only in archive sets and the reconciliation folders. */
export function duplicatesIntended(role: Role): boolean {
  return role === 'archive-set' || role === 'reconciliation';
}

/** The mapping that applies to a staged path (the most specific `from`), or null if unmapped. */
export function mappingOf(spacePath: string, layout: LayoutConfig): LayoutConfig['mappings'][number] | null {
  return [...layout.mappings].sort((a, b) => b.from.length - a.from.length).find((candidate) => isInside(spacePath, candidate.from)) ?? null;
}

/** Where a staged path belongs in the layout after the configured mappings, or null if unmapped. */
export function mappedPath(spacePath: string, layout: LayoutConfig): string | null {
  const mapping = mappingOf(spacePath, layout);
  return mapping ? mapping.to + spacePath.slice(mapping.from.length) : null;
}
