/**
 * engine/classify: finds every problem the transfers left behind, with evidence, from the catalog
 * (and bounded reads of the files where content decides). Public surface of the stage.
 */
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { classifyArtifact } from './artifact.ts';
import { CatalogView } from './catalog.ts';
import { classifyOverwrittenVersions } from './conflict.ts';
import { classifyCopies } from './copies.ts';
import { classifyCounterparts } from './counterparts.ts';
import { classifyDuplicates } from './duplicate.ts';
import { classifyAgainstOrigins } from './missing.ts';
import { classifyCaseAndNormalisation, classifyWindowsName } from './name-collision.ts';
import { classifyPartialName, emitPartial } from './partial.ts';
import { oneDriveConflictMatcher, partialNameRule } from './names.ts';
import { classifyIcloudStub, classifyLoggedPlaceholders } from './placeholder.ts';
import { RecoveryMatcher } from './recovered.ts';
import { ClassifyRun } from './run.ts';
import { classifyStaged } from './staged.ts';
import type { Finding } from './evidence.ts';
import type { FindingKind, SourceCompleteness } from './types.ts';
import { classifyUnreadable } from './unreadable.ts';

export {
  findingKinds,
  problemKinds,
  isProblemKind,
  recoveryReasons,
  type FindingKind,
  type ProblemKind,
  type FileRef,
  type Role,
  type SourceCompleteness,
  type OriginTarget,
  type RecoveryReason,
  type Recovered,
  type Placement,
} from './types.ts';
export {
  evidenceSchemas,
  parseStoredEvidence,
  storedEvidence,
  originVersionsOf,
  type Finding,
  type FindingFacts,
  type FindingOf,
  type EvidenceOf,
  type KindEvidence,
  type StoredEvidence,
  type StoredKindEvidence,
  type OriginVersion,
  type OriginVersionInSpace,
  type ConflictEvidence,
} from './evidence.ts';
export { roleOf, isInside, mappedPath, mappingOf, duplicatesIntended } from './layout.ts';
export { parseIcloudStub } from './placeholder.ts';
export { precomputeDigests, type DigestProgress, type DigestSummary } from './digests.ts';
export { compare } from './run.ts';
// Verification confirms origin entries with the classifier's own matching rules.
export { CatalogView, type EntryRow } from './catalog.ts';
export { counterpart, preferredHash, sameMtime, sameSizeAndName } from './origin-match.ts';
export type { OriginRow } from './origin-entries.ts';

/** Which pass runs now (`done` passes finished of `total`); 'done' once all have. */
export interface ClassifyProgress {
  pass: string;
  done: number;
  total: number;
}

export interface ClassifyResult {
  counts: Record<string, number>;
  completeness: SourceCompleteness[];
}

/**
 * Runs every classifier, strongest explanation first, handing each finding to `onFinding` as it
 * is found (memory stays bounded by the findings' own size, not the catalog's). Digests kept by
 * precomputeDigests spare the passes most of their file reads.
 */
export function classify(
  db: Db,
  config: Config,
  onFinding: (finding: Finding) => void,
  options: { onPass?: (progress: ClassifyProgress) => void; kind?: FindingKind } = {},
): ClassifyResult {
  const catalog = new CatalogView(db, config);
  const counts: Record<string, number> = {};
  const run = new ClassifyRun(
    catalog,
    (finding) => {
      if (options.kind !== undefined && finding.kind !== options.kind) return;
      counts[finding.kind] = (counts[finding.kind] ?? 0) + 1;
      onFinding(finding);
    },
    (self) => new RecoveryMatcher(self),
  );
  const chosen = options.kind === undefined ? passes : passesFor(options.kind, catalog.recoverySources().length > 0);
  chosen.forEach(([pass, classifier], done) => {
    options.onPass?.({ pass, done, total: chosen.length });
    classifier(run);
  });
  options.onPass?.({ pass: 'done', done: chosen.length, total: chosen.length });
  catalog.saveKeptHashes();
  const completeness = [...run.completeness.values()].sort((a, b) => (a.source < b.source ? -1 : 1));
  return { counts, completeness };
}

/** The classifiers in precedence order, each named for progress reports, with the kinds it finds. */
const passes: [string, (run: ClassifyRun) => void, FindingKind[]][] = [
  // Fetched files first: claimed here, matched when a later pass names the origin entry they answer.
  ['recovered', (run) => run.recovery.collect(), ['unreadable', 'partial', 'conflict', 'placeholder']],
  ['unreadable', classifyUnreadable, ['unreadable']],
  ['names', classifyByName, ['artifact', 'appledouble', 'trash', 'partial', 'placeholder', 'name-collision']],
  ['logged placeholders', classifyLoggedPlaceholders, ['placeholder']],
  ['overwritten versions', classifyOverwrittenVersions, ['conflict']],
  ['origins', classifyAgainstOrigins, ['missing', 'placeholder', 'partial', 'corrupt', 'conflict']],
  ['counterparts', classifyCounterparts, ['conflict', 'partial', 'placeholder']],
  ['copy names', classifyCopies, ['conflict']],
  ['duplicates', classifyDuplicates, ['duplicate']],
  ['case and normalisation', classifyCaseAndNormalisation, ['name-collision']],
  ['staged', classifyStaged, ['staged']],
  ['recovered leftovers', (run) => run.recovery.finish(), ['conflict', 'duplicate', 'unreadable', 'placeholder', 'partial', 'corrupt']],
];

/** Passes that find something only when the catalog has recovery roots. */
const recoveryPasses = new Set(['recovered', 'recovered leftovers']);

/**
 * The passes one kind needs: every pass up to the last that finds it, since each earlier pass
 * claims the files it explains (so the kind's findings are exactly the full run's). The recovery
 * passes count only when `recovering`: without recovery roots they find nothing.
 */
function passesFor(kind: FindingKind, recovering = false): typeof passes {
  const last = passes.findLastIndex(([pass, , kinds]) => kinds.includes(kind) && (recovering || !recoveryPasses.has(pass)));
  return passes.slice(0, last + 1);
}

/** Whether classifying this kind reads origin inventories' counterparts (worth reading ahead first). */
export function kindReadsCounterparts(kind: FindingKind | undefined): boolean {
  return (kind === undefined ? passes : passesFor(kind)).some(([pass]) => pass === 'origins' || pass === 'counterparts');
}

/** All findings in memory, in a stable order: for tests and small catalogs. */
export function collectFindings(db: Db, config: Config): Finding[] {
  const findings = new Map<string, Finding>();
  classify(db, config, (finding) => findings.set(finding.id, finding));
  return [...findings.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** One streaming pass over every entry for the rules that need only the name. */
function classifyByName(run: ClassifyRun): void {
  const oneDriveConflictBase = oneDriveConflictMatcher(run.catalog.hosts());
  const flaggedFolders: string[] = [];
  // Files inside an rsync partial/delay-updates folder are the unfinished copies themselves.
  const partialFolders: { prefix: string; rule: string }[] = [];
  for (const row of run.catalog.entries()) {
    if (row.errorCode || run.isOurs(row)) continue;
    const key = run.catalog.key(row);
    if (flaggedFolders.some((folder) => key.startsWith(folder))) continue;
    const inPartial = partialFolders.find((folder) => key.startsWith(folder.prefix));
    if (inPartial) {
      if (row.type === 'file') emitPartial(run, row, inPartial.rule, { folder: inPartial.prefix.slice(0, -1) });
      continue;
    }
    if (row.type === 'dir') {
      const rule = partialNameRule(row.name, row.type);
      if (rule) {
        partialFolders.push({ prefix: `${key}/`, rule });
        continue;
      }
    }
    classifyWindowsName(run, row);
    const flagged = classifyArtifact(run, row, oneDriveConflictBase) || classifyPartialName(run, row) || classifyIcloudStub(run, row);
    if (flagged && row.type === 'dir') flaggedFolders.push(`${key}/`);
  }
}
