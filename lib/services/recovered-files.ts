/**
 * What a finding's evidence says about files fetched into a recovery folder, for the cards:
 * which origin each came from, how it matched the origin inventory (the inventory's hash, or size
 * and mtime only), where the placement moves it — or why it does not match and stays unplaced.
 */
import type { OriginTarget } from '../../engine/classify/index.ts';

export interface RecoveredFile {
  source: string;
  /** The source's origin as configured (a folder on its host, or the rclone remote). */
  origin: string | null;
  originPath: string | null;
  /** The fetched file in the recovery folder. */
  file: string | null;
  /** hash-match, size-mtime-match ... or, for a copy that does not match, what was found (hash-mismatch, truncated ...). */
  status: string;
  /** strong: the inventory's hash; weak: size and mtime only; mismatch: not what the origin holds (never placed). */
  strength: 'strong' | 'weak' | 'mismatch';
  /** Where its placement moves it: a space path, `conflicts` (the run's conflicts folder), or null (not placed). */
  placement: string | null;
  /** Expected and found size/mtime/hash, as the matcher recorded them. */
  evidence: Record<string, unknown>;
}

type Origins = ReadonlyMap<string, string | null>;

function fromTarget(target: OriginTarget, origins: Origins): RecoveredFile | null {
  const origin = origins.get(target.source) ?? null;
  if (target.recovered) {
    const { file, match, placement } = target.recovered;
    return {
      source: target.source,
      origin,
      originPath: target.originPath,
      file: file.path,
      status: match.status,
      strength: match.strength,
      placement: placement.to === 'place' ? placement.path : 'conflicts',
      evidence: match.evidence,
    };
  }
  if (target.mismatch) {
    return { source: target.source, origin, originPath: target.originPath, file: target.mismatch.path, status: target.mismatch.status, strength: 'mismatch', placement: null, evidence: target.mismatch.evidence };
  }
  return null;
}

/**
 * The fetched files a finding is about: matches and mismatches riding on the finding that named
 * the origin entry (`outstanding`), or the one fetched file a finding of its own flags
 * (`recoveredFrom`: other bytes, still truncated, not in the inventory).
 */
export function recoveredFiles(evidence: Record<string, unknown>, paths: readonly string[], origins: Origins): RecoveredFile[] {
  if (typeof evidence.recoveredFrom === 'string') {
    const source = evidence.recoveredFrom;
    const expected = evidence.expected as { originPath?: string } | undefined;
    return [
      {
        source,
        origin: origins.get(source) ?? null,
        originPath: expected?.originPath ?? null,
        file: paths[0] ?? null,
        status: typeof evidence.status === 'string' ? evidence.status : 'not-in-inventory',
        strength: 'mismatch',
        placement: null,
        evidence: { expected: evidence.expected ?? null, ...((evidence.match as Record<string, unknown> | undefined) ?? {}) },
      },
    ];
  }
  const targets = Array.isArray(evidence.outstanding) ? (evidence.outstanding as OriginTarget[]) : [];
  return targets.map((target) => fromTarget(target, origins)).filter((each): each is RecoveredFile => each !== null);
}
