/**
 * What a finding's evidence holds, one zod schema per finding kind. Classifiers build evidence of
 * these types (the compiler refuses a field a kind's schema does not know, or a value of the wrong
 * type); readers parse it once where it comes back from the database (parseStoredEvidence), so
 * plan, API and UI read typed fields, never casts.
 *
 * A kind's rules say different things: one object per kind holds them all, what only some rules
 * set being optional (the comments say which), so a reader asks for a field without knowing the
 * rule that wrote it. Parsing drops fields a schema does not name; anything that does not fit is
 * an error naming the finding.
 */
import { z } from 'zod';
import { recoveryReasons, roles, type FileRef, type FindingKind, type OriginTarget, type Placement } from './types.ts';

const fileRefObject = z.object({
  path: z.string(),
  pathB64: z.string().optional(),
  spacePath: z.string().nullable(),
  sources: z.array(z.string()),
  type: z.string(),
  size: z.number(),
  mtimeNs: z.string(),
  hash: z.string().nullable(),
  role: z.enum(roles),
  intended: z.boolean(),
  get appleDouble(): z.ZodOptional<z.ZodType<FileRef>> {
    return fileRefObject.optional();
  },
});
export const fileRefSchema: z.ZodType<FileRef> = fileRefObject;

const hashKind = z.enum(['xxh128', 'sha1', 'md5', 'quickxor']);

/** An origin inventory's entry as evidence: where it was, its size, mtime and strongest hash. */
const originVersion = z.object({
  source: z.string(),
  originPath: z.string(),
  size: z.number(),
  mtimeNs: z.string().nullable(),
  hash: z.string().nullable(),
  hashKind: hashKind.nullable(),
  /** Windows attributes (version 2 manifests only). */
  attrs: z.array(z.string()).optional(),
  /** Why the origin could not read it (version 2 manifests only). */
  errorCode: z.string().optional(),
});
export type OriginVersion = z.infer<typeof originVersion>;

/** An origin version with whether its content is anywhere in the space (and, for a conflict, where). */
const versionInSpace = originVersion.extend({
  inSpace: z.boolean(),
  landed: z.boolean().optional(),
  /** overwritten-by-other-transfer: the space files holding this version (at most 4). */
  spacePaths: z.array(z.string()).optional(),
});
export type OriginVersionInSpace = z.infer<typeof versionInSpace>;

/** How a fetched file compared with the origin inventory (origin-match.ts: status, sizes, hashes). */
const matchEvidence = z.record(z.string(), z.unknown());

const placement: z.ZodType<Placement> = z.union([
  z.object({ to: z.literal('place'), path: z.string(), pathB64: z.string().optional(), spacePath: z.string(), replaces: z.enum(['stand-in', 'nothing']) }),
  z.object({ to: z.literal('conflicts'), why: z.enum(['overwritten-version', 'place-taken']), takenBy: z.string().optional() }),
]);

/** An origin entry the space lacks (outstanding.ts), with the fetched copy that answers it or does not. */
const originTarget: z.ZodType<OriginTarget> = z.object({
  source: z.string(),
  relPath: z.string(),
  reason: z.enum(recoveryReasons),
  originPath: z.string(),
  size: z.number().nullable(),
  mtimeNs: z.string().nullable(),
  hash: z.string().nullable(),
  hashKind: z.string().nullable(),
  recovered: z.object({ file: fileRefSchema, match: z.object({ status: z.string(), strength: z.enum(['strong', 'weak']), evidence: matchEvidence }), placement }).optional(),
  /** The owner decided not to recover it (`reconcile waive`). */
  waived: z.object({ reason: z.string(), decidedBy: z.string(), decidedAt: z.string() }).optional(),
  mismatch: z.object({ path: z.string(), status: z.string(), evidence: matchEvidence }).optional(),
});

/**
 * The origin entries a finding says the space lacks, for `reconcile recover` and the placement of
 * what it fetched (empty: the content is elsewhere in the space). Written by the rules that judge
 * against an origin: overwritten-by-other-transfer, origin-changed, icloud-stub,
 * transfer-log-dataless, cloud-only-at-origin, zero-byte-vs-origin, shorter-than-origin,
 * size-differs-from-origin, zero-filled-tail, hash-differs-same-size-and-mtime, missing.
 */
const outstanding = { outstanding: z.array(originTarget).optional() };

/**
 * A fetched file judged alone (the recovered-* rules, recovered.ts): the source it was fetched for,
 * its origin-relative path, and how it falls short of what the inventory expects.
 */
const fetchedAlone = {
  recoveredFrom: z.string().optional(),
  relPath: z.string().optional(),
  expected: z.object({ size: z.number(), mtimeNs: z.string().nullable(), originPath: z.string() }).optional(),
  status: z.string().optional(),
  match: matchEvidence.optional(),
};

/** The transfer log line that named the file. */
const transferLog = z.object({
  /** The origin host's spelling of the path, when the source has a configured origin. */
  origin: z.string().optional(),
  log: z.string(),
  line: z.number(),
  tool: z.string(),
  code: z.string().nullable(),
  message: z.string(),
});
export type TransferLogEvidence = z.infer<typeof transferLog>;

/** An empty or unfinished copy beside the complete copy of the same logical file (rules *-vs-counterpart, truncated-copy, zero-filled-tail). */
const againstCounterpart = {
  counterpart: z.string().optional(),
  counterpartSize: z.number().optional(),
  /** The complete copy itself: archiving the stand-in relies on it, and apply re-checks it. */
  counterpartFile: fileRefSchema.optional(),
  /** The complete copy that takes the stand-in's place (when it sits outside the canonical tree). */
  replacement: fileRefSchema.optional(),
};

const byName = z.object({ name: z.string(), type: z.string() });

const duplicate = z.object({
  copies: z.number(),
  intendedCopies: z.number(),
  inodes: z.number(),
  /** Staged copies whose mapped place in the layout is free: path → that place. */
  freePlaces: z.record(z.string(), z.string()).optional(),
  ...fetchedAlone,
});

/** The origin versions (overwritten-by-other-transfer, origin-changed), or how many contents one logical path has (counterparts). */
const conflictVersions = z.union([z.array(versionInSpace), z.number()]);

const conflict = z.object({
  versions: conflictVersions.optional(),
  /** overwritten-by-other-transfer: versions found nowhere in the space. */
  lostVersions: z.number().optional(),
  /** origin-changed: the hash kind the inventory and the space file were compared by. */
  hashKind: hashKind.optional(),
  /** Copy-suffixed or conflict-copy names: the original and the copies with other content. */
  original: z.string().optional(),
  copies: z.array(z.object({ path: z.string(), rule: z.string() })).optional(),
  ...outstanding,
  ...fetchedAlone,
  /** recovered-not-a-file: the entry type that was fetched. */
  type: z.string().optional(),
});
export type ConflictEvidence = z.infer<typeof conflict>;

const placeholder = z.object({
  // icloud-stub: what the stub's plist says of the real file.
  realName: z.string().optional(),
  realSize: z.number().nullable().optional(),
  plistParsed: z.boolean().optional(),
  realPath: z.string().optional(),
  // transfer-log-dataless: the log line, and whether the name arrived at all.
  ...transferLog.partial().shape,
  inSpace: z.boolean().optional(),
  ...againstCounterpart,
  // Against the origin (cloud-only-at-origin, zero-byte-vs-origin) the log's origin is the origin's version.
  origin: z.union([originVersion, z.string()]).optional(),
  /** The size that arrived. */
  size: z.number().optional(),
  ...outstanding,
  ...fetchedAlone,
  /** recovered-still-placeholder: the fetched file is an iCloud stub itself. */
  stub: z.boolean().optional(),
});
export type PlaceholderEvidence = z.infer<typeof placeholder>;

const partial = z.object({
  // By name: the name and entry type; inside an rsync partial or delay-updates folder: that folder.
  name: z.string().optional(),
  type: z.string().optional(),
  folder: z.string().optional(),
  ...againstCounterpart,
  /** Against the origin: the origin's version. */
  origin: originVersion.optional(),
  /** The size that arrived. */
  size: z.number().optional(),
  /** zero-filled-tail against the origin: the hash kind compared. */
  hashKind: hashKind.optional(),
  ...outstanding,
  ...fetchedAlone,
  /** recovered-temp-file: the temp-file rule that named it. */
  tool: z.string().optional(),
});
export type PartialEvidence = z.infer<typeof partial>;

const corrupt = z.object({ origin: originVersion, hashKind: hashKind.optional(), ...outstanding, ...fetchedAlone });

const missing = originVersion.extend({
  relPath: z.string(),
  expectedAt: z.string(),
  transferError: z.object({ log: z.string(), line: z.number(), code: z.string().nullable(), message: z.string() }).nullable(),
  cloudOnlyAtOrigin: z.literal(true).optional(),
  ...outstanding,
});

const nameCollision = z.object({
  claimedByOtherFinding: z.boolean(),
  /** A name Windows/SMB cannot hold. */
  name: z.string().optional(),
  /** Names equal up to case or NFC. */
  names: z.array(z.string()).optional(),
  /** collides-after-mapping: where the staged file would land. */
  mappedTo: z.string().optional(),
});

const unreadable = z.object({
  errorCode: z.string().nullable().optional(),
  // scan-*: the scan's error and the entry type.
  errorMessage: z.string().nullable().optional(),
  type: z.string().optional(),
  // origin-*: the folder the origin manifest could not list.
  originPath: z.string().optional(),
  listedBy: z.literal('origin manifest').optional(),
  // transfer-*: the log line.
  ...transferLog.partial().shape,
  ...fetchedAlone,
});

export const evidenceSchemas = {
  duplicate,
  conflict,
  placeholder,
  partial,
  corrupt,
  artifact: byName,
  trash: z.object({ folder: z.string(), uniqueFiles: z.number(), uniqueBytes: z.number() }),
  appledouble: z.object({ dataFile: z.string() }),
  'name-collision': nameCollision,
  missing,
  unreadable,
  staged: z.object({ to: z.string(), mapping: z.object({ from: z.string(), to: z.string() }) }),
} satisfies Record<FindingKind, z.ZodType>;

export type EvidenceOf<K extends FindingKind> = z.infer<(typeof evidenceSchemas)[K]>;

/** A finding's kind with the evidence of that kind: the union the classifiers emit and readers narrow. */
export type KindEvidence = { [K in FindingKind]: { kind: K; evidence: EvidenceOf<K> } }[FindingKind];

/** A finding: its kind with that kind's evidence and what every kind has. */
export type Finding = FindingFacts & KindEvidence;

export interface FindingFacts {
  id: string;
  /** Absolute paths in the space (origin paths for `missing`). */
  paths: string[];
  sources: string[];
  rule: string;
  size?: number;
  hash?: string;
  /** The files the finding is about; the plan picks keepers and builds operations from them. */
  files: FileRef[];
  /** Bytes archiving the unintended extra copies would free (duplicates). */
  reclaimableBytes?: number;
}

/** The findings of one kind. */
export type FindingOf<K extends FindingKind> = Extract<Finding, { kind: K }>;

/** As the Finding table keeps it: the evidence with the finding's files beside it. */
export type StoredEvidence<K extends FindingKind = FindingKind> = EvidenceOf<K> & { files: FileRef[] };
export type StoredKindEvidence = { [K in FindingKind]: { kind: K; evidence: StoredEvidence<K> } }[FindingKind];

const files = { files: z.array(fileRefSchema) };

function stored<K extends FindingKind, Shape extends z.ZodRawShape>(kind: K, evidence: z.ZodObject<Shape>) {
  return z.object({ kind: z.literal(kind), evidence: z.object({ ...evidence.shape, ...files }) });
}

const storedKindEvidence = z.discriminatedUnion('kind', [
  stored('duplicate', duplicate),
  stored('conflict', conflict),
  stored('placeholder', placeholder),
  stored('partial', partial),
  stored('corrupt', corrupt),
  stored('artifact', evidenceSchemas.artifact),
  stored('trash', evidenceSchemas.trash),
  stored('appledouble', evidenceSchemas.appledouble),
  stored('name-collision', nameCollision),
  stored('missing', missing),
  stored('unreadable', unreadable),
  stored('staged', evidenceSchemas.staged),
]);

/**
 * A Finding row's kind and evidenceJson, parsed: the evidence typed by its kind, with the files.
 * Throws an Error naming the finding (and the first field that does not fit) when the row is not
 * evidence of its kind.
 */
export function parseStoredEvidence(findingId: string, kind: string, evidenceJson: string): StoredKindEvidence {
  let value: unknown;
  try {
    value = JSON.parse(evidenceJson);
  } catch {
    throw new Error(`finding ${findingId}: its evidence is not JSON`);
  }
  const parsed = storedKindEvidence.safeParse({ kind, evidence: value });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new Error(`finding ${findingId}: evidence that does not fit kind ${kind}${where}: ${issue?.message ?? 'invalid'}`);
}

/** A finding's kind and evidence as the Finding table keeps them: the files beside the evidence. */
export function storedEvidence(finding: Finding): StoredKindEvidence {
  // Spreading loses the pairing of kind and evidence for the compiler; the finding had it.
  return { kind: finding.kind, evidence: { ...finding.evidence, files: finding.files } } as StoredKindEvidence;
}

/** The origin versions a conflict's evidence lists (none for conflicts found in the space alone). */
export function originVersionsOf(evidence: ConflictEvidence): OriginVersionInSpace[] {
  return Array.isArray(evidence.versions) ? evidence.versions : [];
}
