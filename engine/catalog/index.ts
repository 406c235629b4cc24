/** The catalog: refreshing it from sources and querying it. Public surface of engine/catalog. */
export { findDuplicateGroups, iterateDuplicateGroups, type DuplicateGroup, type DuplicateMember, type DuplicateOptions } from './duplicates.ts';
export { importSourceFile, knownSource, refreshCatalog, type RefreshSummary } from './refresh.ts';
export { refreshSourceStats, sourceStats, type SourceStats } from './stats.ts';
