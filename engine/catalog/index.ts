/** Catalog queries over scanned entries. Public surface of engine/catalog. */
export { findDuplicateGroups, iterateDuplicateGroups, type DuplicateGroup, type DuplicateMember, type DuplicateOptions } from './duplicates.ts';
