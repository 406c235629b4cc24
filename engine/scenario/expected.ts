/**
 * expected.json: what a scenario planted, the single source of truth for tests and demos.
 * Matching rule for consumers: every expected finding must be reported with its kind, and the
 * reported paths must include all of `paths` (space-relative); a path may sit in several findings;
 * no path in `clean` may appear in any reported finding. `related` paths (the complete counterpart
 * of a partial, the original of a copy suffix) are neither required nor clean.
 */
import { z } from 'zod';
import { problemKinds, recoveryReasons } from '../classify/types.ts';

// A scenario plants problems; `staged` (routine inbox work) is no problem kind.
export { problemKinds as findingKinds, type ProblemKind as FindingKind } from '../classify/types.ts';


const originRef = z.strictObject({
  source: z.string(),
  /** As the origin host names it: `/Users/miket/dev/x`, `C:\Users\mike\MDT\x`, `m365:_MAIN_FILES/x`. */
  path: z.string(),
});

export const expectedFindingSchema = z.strictObject({
  /** Readable, unique within the scenario (`duplicate:dev-logo`); for test messages only. */
  label: z.string(),
  kind: z.enum(problemKinds),
  /** Space-relative paths that exist in the space and must be in the reported finding. */
  paths: z.array(z.string()),
  sources: z.array(z.string()),
  note: z.string(),
  /** Origin-inventory entries involved (the overwritten conflict version, the missing file, ...). */
  origin: z.array(originRef).default([]),
  /** Space paths involved as evidence only (complete counterparts, originals). */
  related: z.array(z.string()).default([]),
  /** duplicate: the copies that sit in roles where duplicates are intended (archive sets). */
  intendedPaths: z.array(z.string()).default([]),
  /** unreadable: root can read it; only a scan run as an unprivileged user meets EACCES. */
  needsUnprivilegedScan: z.boolean().default(false),
});

/** An origin entry the space lacks after the transfers, that `reconcile recover` lists for its source. */
export const expectedRecoverySchema = z.strictObject({
  source: z.string(),
  /** Relative to the source's origin root (and to `origins/<source>/` in the scenario). */
  path: z.string(),
  reason: z.enum(recoveryReasons),
});

const tally = z.strictObject({ files: z.number().int(), bytes: z.number().int() });

/** Per source with an origin inventory: what share of it arrived (the shape of the classifier's SourceCompleteness). */
export const completenessSchema = z.strictObject({
  source: z.string(),
  files: z.number().int(),
  bytes: z.number().int(),
  present: tally,
  missing: tally,
  placeholder: tally,
  partial: tally,
});

export const expectedSchema = z.strictObject({
  format: z.literal('reconcile-scenario-expected'),
  version: z.literal(1),
  seed: z.number().int(),
  scale: z.number().int().positive(),
  /** Relative to the scenario folder. */
  space: z.string(),
  config: z.string(),
  sources: z.array(z.string()),
  findings: z.array(expectedFindingSchema),
  /** Space-relative paths of files (and a symlink) that must not appear in any finding. */
  clean: z.array(z.string()),
  missing: z.array(originRef),
  /** What `reconcile recover` must list, per source, before anything is fetched (sorted by source, path). */
  recovery: z.array(expectedRecoverySchema).default([]),
  /** Space-relative folders meant to be unreadable (mode 000; see needsUnprivilegedScan). */
  unreadable: z.array(z.string()),
  completeness: z.array(completenessSchema),
  counts: z.strictObject({
    files: z.number().int(),
    bytes: z.number().int(),
    clean: z.number().int(),
    findings: z.record(z.string(), z.number().int()),
  }),
});

export type ExpectedFinding = z.infer<typeof expectedFindingSchema>;
export type ExpectedFindingInput = z.input<typeof expectedFindingSchema>;
export type Expected = z.infer<typeof expectedSchema>;
export type OriginRef = z.infer<typeof originRef>;
export type ExpectedRecovery = z.infer<typeof expectedRecoverySchema>;
export type Completeness = z.infer<typeof completenessSchema>;
