/**
 * One operation's file-system steps: the checks right before acting, the intent that names what
 * it will change, the act itself (a move that never replaces a file, or a verified copy placed
 * under its name the same way), and how an interrupted step is settled on resume — by looking at
 * the file system, not at memory.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { fsyncDirectory, type JournalRecord, type OperationState, type StepDescription } from '../journal/index.ts';
import type { ContentChecker } from './content.ts';
import { copyVerified, createFolders, deviceOf, linkOnTheWay, lstatOrNull, missingFolders, sameMtime, type BigStats, type CopyResult, type PlainFolders } from './files.ts';
import { discardOurCopy, finishMove, linkNewName, moveState, moveWithoutReplacing, type CopyMarker } from './move.ts';
import { displayPath, fromJournalPath, isInside, joinPath, journalPath, parentOf } from './paths.ts';
import type { FolderNames } from './twins.ts';
import type { StoredOperation } from './runs.ts';

export type Outcome =
  | { kind: 'done'; hash?: string; notPreserved: string[]; detected?: boolean; bytes: number }
  | { kind: 'skip'; reason: string; detail?: string }
  /** The step failed on its own files (ENOTDIR, EACCES, ...): recorded, the run goes on, a retry may redo it. */
  | { kind: 'fail'; code: string; message: string };

export type Intent = Extract<JournalRecord, { t: 'intent' }>;

/** Folders a step changed, fsynced before its outcome is written. */
export type Touch = (dir: Buffer) => void;

/** What the steps of a run share. */
export interface StepContext {
  content: ContentChecker;
  /** Folders already made durable by this process (steps of a batch often share new folders). */
  durableFolders: Set<string>;
  touch: Touch;
  /** Journals, durably, that the copy fallback created the step's new name as this inode. */
  markCopy(op: StoredOperation, marker: CopyMarker): void;
  onBytes(bytes: number): void;
  /** Throws when this process no longer holds the run's lease: called right before each rename. */
  beforeRename(): void;
  names: FolderNames;
  /** The space root (as configured): every path of a step lies below it, through plain folders only. */
  space: Buffer;
  /** Folders this batch found plain on the way from the space root (cleared per batch). */
  plain: PlainFolders;
  /**
   * The run's own archive and conflicts folders: they mirror the source folders, so names there
   * are as the sources had them (twins included); elsewhere a step never creates a twin.
   */
  mirrorRoots: string[];
}

/**
 * A step must not create a name that differs from an existing one only by case or Unicode
 * normalisation (one file to the Mac and Windows clients): the folders it creates and its
 * destination are checked against their folders' listings.
 */
function twinProblem(op: StoredOperation, intent: Intent, context: StepContext): Outcome | null {
  if (context.mirrorRoots.some((root) => isInside(op.to, root))) return null;
  for (const created of [...intent.mkdirs.map(fromJournalPath), op.to]) {
    const twin = context.names.twinOf(created);
    if (twin) return { kind: 'skip', reason: 'destination-twin', detail: `${displayPath(twin)} exists; ${displayPath(created)} would differ from it only by case or Unicode normalisation` };
  }
  return null;
}

function created(op: StoredOperation, intent: Intent, context: StepContext): void {
  for (const folder of intent.mkdirs.map(fromJournalPath)) context.names.added(folder);
  context.names.added(op.to);
}

function moveHooks(op: StoredOperation, context: StepContext) {
  return { markCopy: (marker: CopyMarker) => context.markCopy(op, marker), hash: context.content.hash, onBytes: context.onBytes };
}

const now = (): string => new Date().toISOString();

function matchesExpectation(stat: BigStats, op: StoredOperation): boolean {
  if (!stat.isFile()) return false;
  if (op.expectSize !== null && stat.size !== op.expectSize) return false;
  if (op.expectMtimeNs !== null && !sameMtime(stat.mtimeNs, op.expectMtimeNs)) return false;
  return true;
}

/** A copy's mtime may differ below the microsecond, so copies are recognised by size and hash. */
async function holdsPlannedContent(stat: BigStats, op: StoredOperation, content: ContentChecker): Promise<boolean> {
  if (!stat.isFile() || (op.expectSize !== null && stat.size !== op.expectSize)) return false;
  return op.expectHash === null || (await content.hash(op.to, stat)) === op.expectHash;
}

/** The file's hash now (on the hash workers); null when it is gone, not a file, or changed while read. */
export async function hashNow(raw: Buffer, content: ContentChecker): Promise<string | null> {
  const stat = lstatOrNull(raw);
  return stat?.isFile() ? content.hash(raw, stat) : null;
}

/** After a copy read back other bytes than planned: the source changed (skip it) or the copy is damaged (stop). */
async function changedOrDamaged(op: StoredOperation, content: ContentChecker): Promise<Outcome> {
  if (op.expectHash !== null && (await hashNow(op.from!, content)) !== op.expectHash) {
    return { kind: 'skip', reason: 'source-changed', detail: 'content hash differs from the plan' };
  }
  throw Object.assign(new Error(`copy of ${displayPath(op.from!)} read back with a different hash`), { code: 'EVERIFY' });
}

function tempName(op: StoredOperation): Buffer {
  const tag = crypto.createHash('sha256').update(`${op.runId}\0${op.id}`).digest('hex').slice(0, 12);
  return joinPath(parentOf(op.to), `.reconcile-${tag}.tmp`);
}

/** Our own half-written copy from an interrupted attempt: it never held data of record. */
export function discardTemp(tmp: Buffer): void {
  try {
    fs.unlinkSync(tmp);
    fsyncDirectory(parentOf(tmp));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function fsyncFile(raw: Buffer): void {
  const fd = fs.openSync(raw, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Did the interrupted step take effect? Decided from the file system, not from memory; a move
 * caught between its two steps, or a copy of ours that is complete, is finished here.
 */
export async function settleInterrupted(
  op: StoredOperation,
  intent: Intent,
  state: OperationState,
  content: ContentChecker,
): Promise<'applied' | 'not-applied' | { inconsistent: string }> {
  if (op.op === 'mkdir') return lstatOrNull(op.to)?.isDirectory() ? 'applied' : 'not-applied';
  // A copy's temp file is ours and never data of record (with both names on one inode it is the
  // link of a copy already placed).
  if (op.op === 'copy' && intent.tmp) discardTemp(fromJournalPath(intent.tmp));
  const from = op.op === 'move' ? op.from! : null;
  const where = from ? moveState(from, op.to, state.copying) : copyState(op, state);
  if (where === 'not-moved') return 'not-applied';
  if (where === 'half-moved') {
    finishMove(from!, op.to);
    return 'applied';
  }
  if (where === 'our-copy') {
    if (!(await holdsPlannedContent(lstatOrNull(op.to)!, op, content))) {
      discardOurCopy(op.to);
      return 'not-applied';
    }
    fsyncFile(op.to);
    if (from) finishMove(from, op.to);
    return 'applied';
  }
  if (where === 'moved') {
    const to = lstatOrNull(op.to)!;
    if (from ? matchesExpectation(to, op) : await holdsPlannedContent(to, op, content)) return 'applied';
    return { inconsistent: `after an interrupted ${op.op}, the destination holds other content` };
  }
  const why = where === 'occupied' ? 'the source is still in place and the destination holds another file' : where.inconsistent;
  return { inconsistent: `after an interrupted ${op.op}, ${why}` };
}

/** A copy's destination after a crash: absent, in place (ours or another file), or the fallback's own copy. */
function copyState(op: StoredOperation, state: OperationState): ReturnType<typeof moveState> {
  const to = lstatOrNull(op.to);
  if (!to) return 'not-moved';
  if (state.copying && state.copying.dev === String(to.dev) && state.copying.ino === String(to.ino)) return 'our-copy';
  return 'moved';
}

/**
 * Why the kept copy a displacing step relies on no longer holds the planned content, or null when
 * it does (or the step names none). Its stat is checked, then its content, on the hash workers.
 */
async function keeperProblem(op: StoredOperation, content: ContentChecker): Promise<string | null> {
  const keeper = op.keeper;
  if (!keeper) return null;
  const name = displayPath(keeper.path);
  const stat = lstatOrNull(keeper.path);
  if (!stat) return `the kept copy ${name} is gone`;
  if (!stat.isFile()) return `the kept copy ${name} is no longer a regular file`;
  if (stat.size !== keeper.size) return `the kept copy ${name} is ${stat.size} bytes, planned ${keeper.size}`;
  // Without a planned hash only the stat can tell; with one, the bytes decide (a touched but
  // unchanged keeper still holds).
  if (keeper.hash === null) return sameMtime(stat.mtimeNs, keeper.mtimeNs) ? null : `the kept copy ${name} changed since the plan`;
  return (await content.hash(keeper.path, stat)) === keeper.hash ? null : `the kept copy ${name} no longer holds the planned content`;
}

/** Why one of `paths` runs through a symbolic link (or a file) below the space root, or null. */
export function throughLink(paths: (Buffer | null)[], space: Buffer, plain?: PlainFolders): string | null {
  for (const raw of paths) {
    const link = raw ? linkOnTheWay(raw, space, plain) : null;
    if (link) return `${displayPath(link)} is not a plain folder of the space; nothing is done through it`;
  }
  return null;
}

/** Checks before acting. Returns an outcome when the step must not (or need not) run. */
export async function precheck(op: StoredOperation, context: Pick<StepContext, 'content' | 'space' | 'plain'>): Promise<Outcome | { kind: 'go'; from: BigStats | null }> {
  const { content } = context;
  const link = throughLink([op.from, op.to, op.keeper?.path ?? null], context.space, context.plain);
  if (link) return { kind: 'skip', reason: 'symlink-in-path', detail: link };
  const to = lstatOrNull(op.to);
  if (op.op === 'mkdir') {
    if (!to) return { kind: 'go', from: null };
    return to.isDirectory() ? { kind: 'done', notPreserved: [], detected: true, bytes: 0 } : { kind: 'skip', reason: 'destination-exists' };
  }
  const from = lstatOrNull(op.from!);
  if (!from) {
    if (op.op === 'move' && to && matchesExpectation(to, op) && (op.expectHash === null || (await content.hash(op.to, to)) === op.expectHash)) {
      return { kind: 'done', notPreserved: [], detected: true, bytes: 0 };
    }
    return { kind: 'skip', reason: 'source-missing' };
  }
  if (!from.isFile()) return { kind: 'skip', reason: 'source-not-a-file' };
  if (!matchesExpectation(from, op)) {
    return { kind: 'skip', reason: 'source-changed', detail: `size ${from.size}, mtime ${from.mtimeNs} differ from the plan` };
  }
  if (to) {
    const identical = op.expectHash !== null && (await holdsPlannedContent(to, op, content));
    if (identical && op.op === 'copy') return { kind: 'done', notPreserved: [], detected: true, bytes: 0 };
    return { kind: 'skip', reason: identical ? 'destination-identical' : 'destination-exists' };
  }
  if (op.op === 'move') {
    if (deviceOf(parentOf(op.to)) !== from.dev) return { kind: 'skip', reason: 'cross-filesystem', detail: 'a move across file systems would unlink the source' };
    // A move is cheap; reading the source once more is what proves it is still the planned content.
    if (op.expectHash !== null && (await content.hash(op.from!, from)) !== op.expectHash) {
      return { kind: 'skip', reason: 'source-changed', detail: 'content hash differs from the plan' };
    }
  }
  const keeper = await keeperProblem(op, content);
  if (keeper) return { kind: 'skip', reason: 'keeper-changed', detail: keeper };
  return { kind: 'go', from };
}

/** Folder creation and moves: a move never replaces a file, in one call or two (see move.ts). */
export async function act(op: StoredOperation, intent: Intent, context: StepContext): Promise<Outcome> {
  const twin = twinProblem(op, intent, context);
  if (twin) return twin;
  createFolders(intent.mkdirs.map(fromJournalPath), context.durableFolders);
  if (op.op === 'mkdir') {
    created(op, intent, context);
    return { kind: 'done', notPreserved: [], bytes: 0 };
  }
  context.beforeRename();
  const moved = await moveWithoutReplacing(op.from!, op.to, { expectHash: op.expectHash, ...moveHooks(op, context) });
  if (moved.kind === 'taken') return { kind: 'skip', reason: 'destination-exists' };
  if (moved.kind === 'mismatch') return changedOrDamaged(op, context.content);
  created(op, intent, context);
  return { kind: 'done', hash: op.expectHash ?? undefined, notPreserved: moved.notPreserved, bytes: 0 };
}

/**
 * A move of a batch, right before it acts: its checks run again (source and kept copy re-read only
 * when their identity changed since: the hashes are remembered by device, inode, size, mtime and
 * ctime), the folders it needs are created and its new name is linked. 'linked' when its old name
 * is still to be dropped, once the batch's new names are durable; an outcome otherwise. Folders to
 * fsync before the old name goes (the new name's, the parents of created folders) go to `fsyncLater`.
 */
export async function linkInBatch(op: StoredOperation, intent: Intent, context: StepContext, fsyncLater: Touch): Promise<Outcome | 'linked'> {
  const checked = await precheck(op, context);
  if (checked.kind !== 'go') return checked;
  const twin = twinProblem(op, intent, context);
  if (twin) return twin;
  createFolders(intent.mkdirs.map(fromJournalPath), context.durableFolders, fsyncLater);
  context.beforeRename();
  const first = await linkNewName(op.from!, op.to, { expectHash: op.expectHash, ...moveHooks(op, context) });
  if (first.kind === 'taken') return { kind: 'skip', reason: 'destination-exists' };
  if (first.kind === 'mismatch') return changedOrDamaged(op, context.content);
  created(op, intent, context);
  if (first.kind === 'moved') return { kind: 'done', hash: op.expectHash ?? undefined, notPreserved: first.notPreserved, bytes: 0 };
  fsyncLater(parentOf(op.to));
  return 'linked';
}

/** The data half of a copy: the temp file written, fsynced and read back. Nothing is visible yet. */
export function startCopy(op: StoredOperation, intent: Intent, context: StepContext): Promise<CopyResult> {
  createFolders(intent.mkdirs.map(fromJournalPath), context.durableFolders);
  const tmp = fromJournalPath(intent.tmp!);
  const copy = copyVerified(op.from!, tmp, context.content.hash, context.onBytes).catch((error: unknown) => {
    discardTemp(tmp);
    throw error;
  });
  copy.catch(() => undefined); // awaited later, in order; a failure must not count as unhandled meanwhile
  return copy;
}

/** The visible half of a copy: checks both hashes, then moves the temp file to its name, never over a file. */
export async function placeCopy(op: StoredOperation, intent: Intent, copy: CopyResult, context: StepContext): Promise<Outcome> {
  const tmp = fromJournalPath(intent.tmp!);
  const wanted = op.expectHash ?? (await hashNow(op.from!, context.content));
  if (copy.writtenHash !== wanted) {
    discardTemp(tmp);
    return changedOrDamaged(op, context.content);
  }
  const twin = twinProblem(op, { ...intent, mkdirs: [] }, context);
  if (twin) {
    discardTemp(tmp);
    return twin;
  }
  context.beforeRename();
  const placed = await moveWithoutReplacing(tmp, op.to, { expectHash: copy.writtenHash, ...moveHooks(op, context) });
  if (placed.kind !== 'moved') {
    discardTemp(tmp);
    if (placed.kind === 'taken') return { kind: 'skip', reason: 'destination-exists' };
    throw Object.assign(new Error(`copy of ${displayPath(op.from!)} read back with a different hash`), { code: 'EVERIFY' });
  }
  created(op, intent, context);
  return { kind: 'done', hash: copy.writtenHash, notPreserved: [...new Set([...copy.notPreserved, ...placed.notPreserved])], bytes: copy.bytes };
}

/** mtimes of the folders a step changes (including the parent of the first folder it creates). */
function dirMtimes(op: StoredOperation, created: Buffer[]): Intent['dirMtimes'] {
  const dirs = [op.from ? parentOf(op.from) : null, parentOf(op.to), created[0] ? parentOf(created[0]) : null].filter(
    (dir): dir is Buffer => dir !== null,
  );
  return dirs.flatMap((dir) => {
    const stat = lstatOrNull(dir);
    return stat ? [{ dir: journalPath(dir), mtimeNs: String(stat.mtimeNs) }] : [];
  });
}

/** The operation as the journal describes it (what `reconcile repair` rebuilds its row from). */
export function describeStep(op: StoredOperation): StepDescription {
  return {
    seq: op.seq,
    op: op.op,
    from: op.from ? journalPath(op.from) : undefined,
    to: journalPath(op.to),
    expect: op.expectSize !== null ? { size: Number(op.expectSize), mtimeNs: String(op.expectMtimeNs), hash: op.expectHash } : undefined,
    keeper: op.keeper
      ? { path: journalPath(op.keeper.path), size: Number(op.keeper.size), mtimeNs: String(op.keeper.mtimeNs), hash: op.keeper.hash }
      : undefined,
    decisionKey: op.decisionKey,
    findingId: op.findingId,
  };
}

/** The journal record that names what a step is about to change, written before it acts. */
export function intentFor(op: StoredOperation): Intent {
  const created = missingFolders(op.op === 'mkdir' ? op.to : parentOf(op.to));
  return {
    t: 'intent',
    id: op.id,
    ...describeStep(op),
    mkdirs: created.map(journalPath),
    dirMtimes: dirMtimes(op, created),
    tmp: op.op === 'copy' ? journalPath(tempName(op)) : undefined,
    at: now(),
  };
}
