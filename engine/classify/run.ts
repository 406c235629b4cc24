/**
 * One classification pass over the catalog. Passes run in precedence order and claim the files
 * they explain, so a later, weaker explanation (a duplicate of a truncated copy, say) does not
 * propose a second, contradicting move for the same file.
 */
import type { CatalogView, EntryRow } from './catalog.ts';
import { findingId } from './ids.ts';
import { roleOf } from './layout.ts';
import type { Finding, KindEvidence } from './evidence.ts';
import type { OriginRow } from './origin-entries.ts';
import type { FileRef, FindingKind, OriginTarget, SourceCompleteness } from './types.ts';

/** The fetched files of the recovery folders, as the passes see them (engine/classify/recovered.ts). */
export interface RecoverySide {
  /** The first pass: claims every entry of the recovery roots. */
  collect(): void;
  /** The targets of a finding being emitted, each with the fetched copy that answers it, if any. */
  attach(draft: FindingDraft, targets: OriginTarget[]): OriginTarget[];
  /** Whether an apply run placed the fetched copy of this entry and it is still there. */
  placedAt(origin: OriginRow): boolean;
  /** The last pass: fetched files no finding asked for, or that do not match. */
  finish(): void;
}

/** A finding as a classifier builds it: its kind's evidence (evidence.ts), and what emit derives the rest from. */
export type FindingDraft = DraftFacts & KindEvidence;

/** The kinds whose evidence names origin entries the space lacks (`evidence.outstanding`, empty: its content is elsewhere in the space). */
const recoverableKinds: ReadonlySet<string> = new Set(['conflict', 'placeholder', 'partial', 'corrupt', 'missing'] satisfies FindingKind[]);
type RecoverableDraft = Extract<FindingDraft, { kind: 'conflict' | 'placeholder' | 'partial' | 'corrupt' | 'missing' }>;
const recoverable = (draft: FindingDraft): draft is RecoverableDraft => recoverableKinds.has(draft.kind);

interface DraftFacts {
  rule: string;
  files: FileRef[];
  /** Paths when they are not the files' own (missing: origin paths; logs: where a file should be). */
  paths?: string[];
  sources?: string[];
  /** What identifies the problem besides kind and paths (content hash for duplicates). */
  idParts?: string[];
  size?: number;
  hash?: string;
  reclaimableBytes?: number;
}

/** A file whose name says it copies `originalRel` (source-relative), noted by the names pass for the copies pass. */
export interface CopyNamed {
  row: EntryRow;
  rule: string;
  originalRel: string;
}

export class ClassifyRun {
  private readonly claimedKeys = new Set<string>();
  /** `sourceId\0relPath` of origin entries a pass already explained. */
  readonly explainedOrigin = new Set<string>();
  readonly completeness = new Map<string, SourceCompleteness>();
  /** Absolute folders (ending in `/`) the scan could not read: what lies below is unknown, not missing. */
  readonly unreadableFolders: string[] = [];
  /** Space folders known to take (or not) a file moved into the layout, for freePlace. */
  readonly placeFolders = new Map<string, boolean>();
  /** Copy-suffix and conflict-copy names the names pass saw; the copies pass compares their bytes. */
  readonly copyNamed: CopyNamed[] = [];
  /** Space paths (NFC + case folded) a move of this plan already fills: staged files and fetched ones. */
  readonly plannedPlaces = new Set<string>();
  /** Fetched files in the recovery folders, matched to the origin entries findings name. */
  readonly recovery: RecoverySide;

  constructor(
    readonly catalog: CatalogView,
    private readonly sink: (finding: Finding) => void,
    recovery: (run: ClassifyRun) => RecoverySide,
  ) {
    this.recovery = recovery(this);
  }

  claim(row: EntryRow): void {
    this.claimedKeys.add(this.catalog.key(row));
  }

  isClaimed(row: EntryRow): boolean {
    return this.claimedKeys.has(this.catalog.key(row));
  }

  /** True when a folder above the entry was claimed: its whole subtree belongs to that finding. */
  underClaimedFolder(row: EntryRow): boolean {
    const key = this.catalog.key(row);
    const rootLength = this.catalog.source(row.sourceId).rootBytes.length;
    for (let slash = key.lastIndexOf('/'); slash > rootLength; slash = key.lastIndexOf('/', slash - 1)) {
      if (this.claimedKeys.has(key.slice(0, slash))) return true;
    }
    return false;
  }

  /**
   * Our own archive and conflicts folders hold what earlier runs displaced: never re-flagged. The
   * recovery folders hold fetched files: only the recovery pass judges them.
   */
  isOurs(row: EntryRow): boolean {
    if (this.catalog.source(row.sourceId).recoveryOf !== undefined) return true;
    const role = roleOf(this.catalog.spacePath(row), this.catalog.config.layout);
    return role === 'reconciliation' || role === 'recovery';
  }

  emit(draft: FindingDraft): Finding {
    // The evidence is the classifier's own fresh object: its origin entries gain the fetched copies that answer them.
    if (recoverable(draft) && draft.evidence.outstanding) draft.evidence.outstanding = this.recovery.attach(draft, draft.evidence.outstanding);
    const { files: found, paths: named, sources: namedSources, idParts, size, hash, reclaimableBytes, ...kindEvidence } = draft;
    const files = [...found].sort((a, b) => compare(a.path, b.path));
    const paths = named ? [...named].sort(compare) : files.map((file) => file.path);
    const sources = [...new Set([...(namedSources ?? []), ...files.flatMap((file) => file.sources)])].sort();
    const finding: Finding = {
      id: findingId(draft.kind, idParts ?? paths),
      ...kindEvidence,
      paths,
      sources,
      ...(size === undefined ? {} : { size }),
      ...(hash === undefined ? {} : { hash }),
      files,
      ...(reclaimableBytes ? { reclaimableBytes } : {}),
    };
    this.sink(finding);
    return finding;
  }

  /** Counts an origin entry in its bucket; `unhashed`: the inventory gave no hash to confirm it. */
  tally(sourceId: string, bucket: 'present' | 'missing' | 'placeholder' | 'partial' | 'unreadable', bytes: number, unhashed: boolean): void {
    let entry = this.completeness.get(sourceId);
    if (!entry) {
      entry = {
        source: sourceId,
        files: 0,
        bytes: 0,
        present: { files: 0, bytes: 0 },
        missing: { files: 0, bytes: 0 },
        placeholder: { files: 0, bytes: 0 },
        partial: { files: 0, bytes: 0 },
        unreadable: { files: 0, bytes: 0 },
        weak: { files: 0, bytes: 0 },
      };
      this.completeness.set(sourceId, entry);
    }
    entry.files += 1;
    entry.bytes += bytes;
    entry[bucket].files += 1;
    entry[bucket].bytes += bytes;
    if (bucket === 'present' && unhashed) {
      entry.weak.files += 1;
      entry.weak.bytes += bytes;
    }
  }
}

/** Plain code-unit order: deterministic and locale-free. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
