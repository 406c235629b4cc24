/** What the classifiers produce: findings with evidence, one kind per problem the transfers left. */
export const problemKinds = [
  'duplicate',
  'conflict',
  'placeholder',
  'partial',
  'corrupt',
  'artifact',
  'trash',
  'appledouble',
  'name-collision',
  'missing',
  'unreadable',
] as const;
export type ProblemKind = (typeof problemKinds)[number];

/** Problems, plus `staged`: a clean inbox file with a free place in the layout (routine, not a problem). */
export const findingKinds = [...problemKinds, 'staged'] as const;
export type FindingKind = (typeof findingKinds)[number];

export function isProblemKind(kind: string): kind is ProblemKind {
  return (problemKinds as readonly string[]).includes(kind);
}

/** Where a path sits in the layout; decides whether duplicates there are intended. */
export const roles = ['canonical', 'archive-set', 'device', 'inbox', 'reconciliation', 'recovery', 'other', 'outside'] as const;
export type Role = (typeof roles)[number];

/** One file (or folder) a finding is about, with what apply needs to re-check it. */
export interface FileRef {
  /** Absolute display path (invalid UTF-8 shown as U+FFFD). */
  path: string;
  /** Base64 of the raw absolute path bytes, present only when they are not valid UTF-8. */
  pathB64?: string;
  /** Path relative to the space root, or null when the entry lies outside it (ad-hoc scans). */
  spacePath: string | null;
  sources: string[];
  type: string;
  size: number;
  /** Nanoseconds as a decimal string (exceeds 2^53). */
  mtimeNs: string;
  hash: string | null;
  role: Role;
  /** True where duplicates are intended (archive sets, reconciliation folders). */
  intended: boolean;
  /** The AppleDouble `._name` beside the file (its resource fork and xattrs): it moves wherever the file moves. */
  appleDouble?: FileRef;
}

/** Counts per source of how much of its origin inventory arrived. */
export interface SourceCompleteness {
  source: string;
  files: number;
  bytes: number;
  present: { files: number; bytes: number };
  missing: { files: number; bytes: number };
  placeholder: { files: number; bytes: number };
  partial: { files: number; bytes: number };
  /** Unreadable now, or below a folder the scan could not read: neither present nor known to be missing. */
  unreadable: { files: number; bytes: number };
  /**
   * Of the present files, those the inventory has no hash for: matched by size + mtime (or size
   * and name) alone, so their content was never compared. Weaker evidence, shown as such.
   */
  weak: { files: number; bytes: number };
}

/** Why the space still lacks an origin entry (what `reconcile recover` lists per source). */
export const recoveryReasons = ['overwritten-version', 'placeholder', 'partial', 'corrupt', 'missing'] as const;
export type RecoveryReason = (typeof recoveryReasons)[number];

/** Where a fetched file belongs: the space path it takes, or the run's conflicts folder. */
export type Placement =
  | { to: 'place'; path: string; pathB64?: string; spacePath: string; replaces: 'stand-in' | 'nothing' }
  | { to: 'conflicts'; why: 'overwritten-version' | 'place-taken'; takenBy?: string };

/** A fetched file in a source's recovery folder that answers an origin entry, with the evidence. */
export interface Recovered {
  file: FileRef;
  /** How it was matched against what the origin inventory says (hash, or size + mtime: weaker). */
  match: { status: string; strength: 'strong' | 'weak'; evidence: Record<string, unknown> };
  placement: Placement;
}

/**
 * An origin entry a finding says the space lacks: fetch it from the source's origin into the
 * recovery folder (`recover`), then the next plan places it (`recovered`).
 */
export interface OriginTarget {
  source: string;
  /** Relative to the source's origin root, '/'-separated (what the tools' file lists take). */
  relPath: string;
  reason: RecoveryReason;
  /** The path as the origin host names it. */
  originPath: string;
  size: number | null;
  mtimeNs: string | null;
  hash: string | null;
  hashKind: string | null;
  /** Set once a fetched copy matched. */
  recovered?: Recovered;
  /** The owner decided not to recover it (`reconcile waive`): accounted for, not fetched. */
  waived?: { reason: string; decidedBy: string; decidedAt: string };
  /** Set when a fetched copy is there but does not match (it stays where it is; fetch again). */
  mismatch?: { path: string; status: string; evidence: Record<string, unknown> };
}
