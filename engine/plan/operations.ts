/**
 * Planned operations, the contract with apply. Paths are absolute display strings; when the raw
 * bytes are not valid UTF-8 `fromB64`/`toB64` carry them exactly. Destinations in the archive and
 * conflicts folders contain the token `{run}`, replaced by the apply run id (unknown at plan time).
 * `expect` is what apply re-checks right before acting; mtimeNs is a decimal string (ns > 2^53).
 * A step that displaces a file because another copy stays (an archived duplicate, a conflict's
 * loser, a stand-in for a complete copy) names that kept copy in `keeper`: apply re-checks it too
 * and skips the step when it no longer holds the content.
 * Nothing is ever deleted: every displaced file is moved under the space.
 */
import type { LayoutConfig } from '../config/index.ts';
import type { FileRef } from '../classify/index.ts';
import { digest } from '../classify/ids.ts';

export const runToken = '{run}';

/** The kept copy a displacing step relies on, as the plan saw it. */
export interface Keeper {
  path: string;
  pathB64?: string;
  size: number;
  mtimeNs: string;
  hash: string | null;
}

export interface Operation {
  id: string;
  op: 'move' | 'copy' | 'mkdir';
  from: string;
  to: string;
  fromB64?: string;
  toB64?: string;
  expect: { size: number; mtimeNs: string; hash: string | null };
  keeper?: Keeper;
}

export type Destination = 'archive' | 'conflicts';

/** The folder (ending in `/`) a displaced file goes under, keeping its path relative to the space. */
export function displacedPrefix(space: string, layout: LayoutConfig, destination: Destination): string {
  const folder = destination === 'archive' ? `${layout.archive}/${runToken}` : `${layout.conflicts}/${runToken}/conflicts`;
  return `${space}/${folder}/`;
}

export function keeperOf(file: FileRef): Keeper {
  return { path: file.path, ...(file.pathB64 ? { pathB64: file.pathB64 } : {}), size: file.size, mtimeNs: file.mtimeNs, hash: file.hash };
}

/**
 * Moves `file` to `toPrefix` + its space path with the first `strip` characters removed (a mapping's
 * `from`, or nothing), relying on `keeper` when one is named. Raw bytes are carried through so
 * names that are not UTF-8 survive.
 */
export function moveOperation(
  proposalId: string,
  file: FileRef,
  space: string,
  toPrefix: string,
  options: { strip?: number; keeper?: FileRef } = {},
): Operation {
  const strip = options.strip ?? 0;
  const spacePath = insideSpace(file);
  let toB64: string | undefined;
  if (file.pathB64) {
    const raw = Buffer.from(file.pathB64, 'base64');
    const relRaw = raw.subarray(Buffer.byteLength(space) + 1 + Buffer.byteLength(spacePath.slice(0, strip)));
    toB64 = Buffer.concat([Buffer.from(toPrefix), relRaw]).toString('base64');
  }
  const planned = operation(proposalId, 'move', file, toPrefix + spacePath.slice(strip), toB64);
  if (options.keeper) planned.keeper = keeperOf(options.keeper);
  return planned;
}

/** Moves (or, from a device capture that stays until reviewed, copies) `file` to exactly where `place` is. */
export function placeOperation(proposalId: string, file: FileRef, place: Pick<FileRef, 'path' | 'pathB64' | 'spacePath'>): Operation {
  insideSpace(file);
  if (place.spacePath === null) throw new Error(`cannot plan a write to ${place.path}: outside the space`);
  const toB64 = file.pathB64 || place.pathB64 ? (place.pathB64 ?? Buffer.from(place.path).toString('base64')) : undefined;
  return operation(proposalId, file.role === 'device' ? 'copy' : 'move', file, place.path, toB64);
}

/**
 * Each move or copy of a file that has an AppleDouble `._name` beside it is followed by the same
 * step for the fork, to `._<new name>` in the destination folder: the fork never parts from its file.
 */
export function withAppleDoubles(proposalId: string, finding: { files: readonly FileRef[] }, operations: Operation[]): Operation[] {
  const rawKey = (text: string, b64: string | undefined) => b64 ?? Buffer.from(text).toString('base64');
  const forks = new Map(finding.files.flatMap((file) => (file.appleDouble ? [[rawKey(file.path, file.pathB64), file.appleDouble] as const] : [])));
  if (forks.size === 0) return operations;
  return operations.flatMap((planned) => {
    const fork = planned.op === 'mkdir' ? undefined : forks.get(rawKey(planned.from, planned.fromB64));
    if (!fork) return [planned];
    const to = planned.toB64 ? Buffer.from(planned.toB64, 'base64') : Buffer.from(planned.to);
    const slash = to.lastIndexOf(0x2f);
    const forkTo = Buffer.concat([to.subarray(0, slash + 1), Buffer.from('._'), to.subarray(slash + 1)]);
    const text = forkTo.toString('utf8');
    const toB64 = fork.pathB64 || !Buffer.from(text).equals(forkTo) ? forkTo.toString('base64') : undefined;
    return [planned, operation(proposalId, planned.op, fork, text, toB64)];
  });
}

function insideSpace(file: FileRef): string {
  if (file.spacePath === null) throw new Error(`cannot plan a move of ${file.path}: outside the space`);
  return file.spacePath;
}

function operation(proposalId: string, op: Operation['op'], file: FileRef, to: string, toB64: string | undefined): Operation {
  const planned: Operation = { id: '', op, from: file.path, to, expect: { size: file.size, mtimeNs: file.mtimeNs, hash: file.hash } };
  if (toB64 !== undefined) {
    planned.fromB64 = file.pathB64 ?? Buffer.from(file.path).toString('base64');
    planned.toB64 = toB64;
  }
  planned.id = `op-${digest([proposalId, planned.op, planned.fromB64 ?? planned.from, planned.toB64 ?? planned.to], 16)}`;
  return planned;
}
