/**
 * What a verification says, as data: the outcome first, then the three sections it rests on.
 * Lists are samples (at most `sampleLimit` items) beside exact counts, so a verification of
 * millions of files stays small; `onOutstanding` (see verify.ts) streams every outstanding entry.
 */

/**
 * complete: every origin entry accounted for and every content conserved (exit 0).
 * outstanding: nothing lost, but origin entries the space still lacks while an origin holds them (exit 3).
 * failed: content lost, or a written file that does not hash as planned (exit 1).
 */
export const outcomes = ['complete', 'outstanding', 'failed'] as const;
export type Outcome = (typeof outcomes)[number];

export const outcomeExitCodes: Record<Outcome, number> = { complete: 0, outstanding: 3, failed: 1 };

/** Why the space still lacks an origin entry (what to fetch it for). */
export const outstandingReasons = ['overwritten-version', 'placeholder', 'partial', 'corrupt', 'missing', 'unreadable'] as const;
export type OutstandingReason = (typeof outstandingReasons)[number];

/** One origin entry the space still lacks. `relPath` is relative to the source's origin, `/`-separated. */
export interface OutstandingEntry {
  source: string;
  relPath: string;
  /** As the origin host names it. */
  originPath: string;
  size: number;
  reason: OutstandingReason;
  /** What a person must do besides fetching it, where something is needed (permissions, a rescan). */
  remedy?: string;
}

export interface Tally {
  files: number;
  bytes: number;
}

/** An entry the space lacks that the owner decided not to recover (`reconcile waive`): accounted for. */
export interface WaivedEntry extends OutstandingEntry {
  waiver: string;
  decidedBy: string;
  decidedAt: string;
}

/** Per source: how its origin inventory is accounted for. Recovery adds per-source commands beside these. */
export interface SourceAccount {
  source: string;
  entries: number;
  present: number;
  /** Of the present: matched by size (and mtime) only, the inventory had no hash to compare. */
  weak: number;
  outstanding: Tally;
  byReason: Partial<Record<OutstandingReason, Tally>>;
  sample: OutstandingEntry[];
  /** Lacking but waived: not outstanding, listed with who decided and why. */
  waived: Tally;
  waivedSample: WaivedEntry[];
}

export type LostReason =
  /** Nowhere on disk: not at any path the catalog or a run knows. */
  | 'lost'
  /** Only under the archive folder, and no decision meant its only copy to go there (a duplicate whose keeper vanished). */
  | 'only-in-archive'
  /** Only in a conflicts folder, and no decision meant it to be there. */
  | 'only-in-conflicts'
  /** Never hashed and changed since the scan: its old content cannot be confirmed (rescan to accept the change). */
  | 'changed-since-scan';

export interface LostContent {
  /** XXH128, or null for a file the scan never hashed (its identity was its size and mtime). */
  hash: string | null;
  size: number;
  reason: LostReason;
  /** Where the catalog or a run last had it. */
  lastSeen: string[];
  /** Where it survives (archive or conflicts paths), for the only-in-* reasons. */
  survivesAt: string[];
  /** True when a run moved or copied it: the run's doing. False: it changed or vanished since the scan on its own. */
  touchedByRun: boolean;
}

export interface OperationProblem {
  runId: string;
  id: string;
  path: string;
  problem: string;
}

export interface Verification {
  outcome: Outcome;
  /** null: the whole space; else the run whose operations were checked. */
  runId: string | null;
  checkedAt: string;
  /** What this verification read from disk (re-hashed files). */
  read: Tally;
  operations: { checked: number; problemCount: number; problems: OperationProblem[] };
  conservation: {
    /** Distinct contents checked (hashed contents plus never-hashed files, each its own). */
    contents: number;
    /** Of them, in the archive or a conflicts folder by a decision that put them there (litter, trash, conflict losers, partials). */
    inReconciliation: number;
    lostCount: number;
    lost: LostContent[];
  };
  origins: { entries: number; present: number; weak: number; outstanding: Tally; waived: Tally; sources: SourceAccount[] };
}

/** At most this many items per list in a stored verification. */
export const sampleLimit = 50;

/** The outcome the three sections give (waived entries are accounted for, not outstanding). */
export function decideOutcome(verification: Pick<Verification, 'operations' | 'conservation' | 'origins'>): Outcome {
  if (verification.operations.problemCount > 0 || verification.conservation.lostCount > 0) return 'failed';
  return verification.origins.outstanding.files > 0 ? 'outstanding' : 'complete';
}

/** A stored verification's outcome; rows written before outcomes existed carry only `ok`. */
export function storedOutcome(stored: { outcome?: string; ok?: boolean } | null): Outcome | null {
  if (!stored) return null;
  if ((outcomes as readonly string[]).includes(stored.outcome ?? '')) return stored.outcome as Outcome;
  return stored.ok ? 'complete' : 'failed';
}
