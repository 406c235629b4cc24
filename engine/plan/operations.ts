/**
 * Planned operations, the contract with apply. Paths are absolute display strings; when the raw
 * bytes are not valid UTF-8 `fromB64`/`toB64` carry them exactly. Destinations in the archive and
 * conflicts folders contain the token `{run}`, replaced by the apply run id (unknown at plan time).
 * `expect` is what apply re-checks right before acting; mtimeNs is a decimal string (ns > 2^53).
 * Nothing is ever deleted: every displaced file is moved under the space.
 */
import type { LayoutConfig } from '../config/index.ts';
import type { FileRef } from '../classify/index.ts';
import { digest } from '../classify/ids.ts';

export const runToken = '{run}';

export interface Operation {
  id: string;
  op: 'move' | 'copy' | 'mkdir';
  from: string;
  to: string;
  fromB64?: string;
  toB64?: string;
  expect: { size: number; mtimeNs: string; hash: string | null };
}

export type Destination = 'archive' | 'conflicts';

/** The folder (ending in `/`) a displaced file goes under, keeping its path relative to the space. */
export function displacedPrefix(space: string, layout: LayoutConfig, destination: Destination): string {
  const folder = destination === 'archive' ? `${layout.archive}/${runToken}` : `${layout.conflicts}/${runToken}/conflicts`;
  return `${space}/${folder}/`;
}

/**
 * Moves `file` to `toPrefix` + its space path with the first `strip` characters removed (a mapping's
 * `from`, or nothing). Raw bytes are carried through so names that are not UTF-8 survive.
 */
export function moveOperation(proposalId: string, file: FileRef, space: string, toPrefix: string, strip = 0): Operation {
  if (file.spacePath === null) throw new Error(`cannot plan a move of ${file.path}: outside the space`);
  const operation: Operation = {
    id: '',
    op: 'move',
    from: file.path,
    to: toPrefix + file.spacePath.slice(strip),
    expect: { size: file.size, mtimeNs: file.mtimeNs, hash: file.hash },
  };
  if (file.pathB64) {
    const raw = Buffer.from(file.pathB64, 'base64');
    const relRaw = raw.subarray(Buffer.byteLength(space) + 1 + Buffer.byteLength(file.spacePath.slice(0, strip)));
    operation.fromB64 = file.pathB64;
    operation.toB64 = Buffer.concat([Buffer.from(toPrefix), relRaw]).toString('base64');
  }
  operation.id = `op-${digest([proposalId, operation.op, operation.fromB64 ?? operation.from, operation.toB64 ?? operation.to], 16)}`;
  return operation;
}
