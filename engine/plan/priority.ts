/**
 * Ordered, configurable priority rules (like rmlint -S or fclones --priority): each rule narrows
 * the candidates to its best scorers; the rule that leaves one candidate is recorded as the reason.
 */
import type { PriorityRule } from '../config/index.ts';
import { compare, type FileRef } from '../classify/index.ts';
import { isCleanName } from '../classify/names.ts';

export interface SourceTraits {
  class: string;
  systemOfRecord: boolean;
}

export interface KeeperChoice {
  keeper: FileRef;
  /** The rule that made the final cut, `only-candidate`, or `path-order` when every rule tied. */
  rule: string;
}

type Score = (file: FileRef) => bigint;

export function ruleScores(traits: ReadonlyMap<string, SourceTraits>): Record<PriorityRule, Score> {
  const trait = (file: FileRef) => file.sources.map((source) => traits.get(source));
  return {
    'system-of-record': (file) =>
      trait(file).some((source) => source?.systemOfRecord) || file.role === 'canonical' ? 1n : 0n,
    'local-over-cloud': (file) => (trait(file).every((source) => source?.class === 'cloud') ? 0n : 1n),
    'complete-over-partial': (file) => BigInt(file.size),
    'newest-mtime': (file) => BigInt(file.mtimeNs),
    'cleanest-name': (file) => (isCleanName(baseName(file.path), file.type, file.size) ? 1n : 0n),
    'shortest-path': (file) => -BigInt(Buffer.byteLength(file.path)),
  };
}

export function chooseKeeper(
  candidates: readonly FileRef[],
  rules: readonly PriorityRule[],
  traits: ReadonlyMap<string, SourceTraits>,
): KeeperChoice {
  if (candidates.length === 0) throw new Error('chooseKeeper needs at least one candidate');
  let remaining = [...candidates].sort((a, b) => compare(a.path, b.path));
  if (remaining.length === 1) return { keeper: remaining[0]!, rule: 'only-candidate' };
  const scores = ruleScores(traits);
  for (const rule of rules) {
    const score = scores[rule];
    const best = remaining.reduce((max, file) => (score(file) > max ? score(file) : max), score(remaining[0]!));
    remaining = remaining.filter((file) => score(file) === best);
    if (remaining.length === 1) return { keeper: remaining[0]!, rule };
  }
  return { keeper: remaining[0]!, rule: 'path-order' };
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
