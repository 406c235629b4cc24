/**
 * Origin entries the space lacks, as findings name them: what `reconcile recover` lists per source
 * and what a fetched file is matched against. A finding whose content is elsewhere in the space
 * names none (the space can settle it itself).
 */
import type { SourceInfo } from './catalog.ts';
import { contentInSpace } from './origin-match.ts';
import { originVersion, type OriginRow } from './origin-entries.ts';
import type { ClassifyRun } from './run.ts';
import type { OriginTarget, RecoveryReason } from './types.ts';
import { joinOrigin } from './transfer-events.ts';

/** The target an origin inventory entry gives. */
export function targetOf(origin: OriginRow, reason: RecoveryReason): OriginTarget {
  const version = originVersion(origin);
  return {
    source: origin.sourceId,
    relPath: origin.relPath,
    reason,
    originPath: version.originPath,
    size: Number(origin.size),
    mtimeNs: version.mtimeNs,
    hash: version.hash,
    hashKind: version.hashKind,
  };
}

/** A target no inventory lists (an iCloud stub's real name, a log line): only what the evidence says. */
export function targetAt(source: SourceInfo, relPath: string, reason: RecoveryReason, size: number | null): OriginTarget {
  return {
    source: source.id,
    relPath,
    reason,
    originPath: source.origin ? joinOrigin(source.origin, relPath) : relPath,
    size,
    mtimeNs: null,
    hash: null,
    hashKind: null,
  };
}

/** This origin entry, unless its content is already somewhere in the space. */
export function outstandingFor(run: ClassifyRun, origin: OriginRow, reason: RecoveryReason): OriginTarget[] {
  return contentInSpace(run, origin) ? [] : [targetOf(origin, reason)];
}

/** The latest inventory's entry of a source at an origin-relative path (or the same name under NFC). */
export function originRowAt(run: ClassifyRun, sourceId: string, relPath: string): OriginRow | undefined {
  const latest = 'o.isDir = 0 AND o.inventoryId = (SELECT MAX(id) FROM Inventory WHERE sourceId = o.sourceId)';
  const columns = 'o.id, o.sourceId, o.relPath, o.originPath, o.nfcKey, o.foldKey, o.size, o.mtimeNs, o.xxh128, o.sha1, o.md5, o.quickxor, o.attrs, o.errorCode';
  const exact = run.catalog.prepared(`SELECT ${columns} FROM OriginEntry o WHERE o.sourceId = ? AND o.relPath = ? AND ${latest} LIMIT 1`).safeIntegers(true);
  const found = exact.get(sourceId, relPath) as OriginRow | undefined;
  if (found) return found;
  const byName = run.catalog.prepared(`SELECT ${columns} FROM OriginEntry o WHERE o.sourceId = ? AND o.nfcKey = ? AND ${latest} ORDER BY o.relPath LIMIT 1`).safeIntegers(true);
  return byName.get(sourceId, relPath.normalize('NFC')) as OriginRow | undefined;
}

/** The target of a source-relative path: from the inventory when it lists the entry (unless its content is in the space). */
export function outstandingAt(run: ClassifyRun, source: SourceInfo, relPath: string, reason: RecoveryReason, size: number | null): OriginTarget[] {
  const origin = originRowAt(run, source.id, relPath);
  return origin ? outstandingFor(run, origin, reason) : [targetAt(source, relPath, reason, size)];
}
