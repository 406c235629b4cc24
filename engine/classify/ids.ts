/** Stable identifiers derived from content and paths (never row ids), so they survive rescans. */
import crypto from 'node:crypto';
import type { FindingKind } from './types.ts';

export function digest(parts: readonly string[], length = 20): string {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, length);
}

/** `kind-<hex>`: the kind stays readable in CLI output and URLs. */
export function findingId(kind: FindingKind, parts: readonly string[]): string {
  return `${kind}-${digest([kind, ...parts], 16)}`;
}
