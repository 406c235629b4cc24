/**
 * Walked entries packed for the trip from a walk worker to the scanner: paths back to back in one
 * buffer, stat fields in typed arrays, all transferred rather than cloned. Cloning a batch of
 * entry objects (ten BigInts and a Buffer each) cost both threads more than the walk's own lstat
 * and listing calls; the rarer fields (link targets, xattrs, errors, content) still travel as objects.
 */
import type { EntryType, WalkedEntry } from './walk.ts';

/** The fields of an entry besides its path, type and stat (absent on most entries). */
type Extras = Pick<WalkedEntry, 'linkTarget' | 'xattrs' | 'errorCode' | 'errorMessage' | 'skipReason' | 'content'>;
const EXTRA_FIELDS = ['linkTarget', 'xattrs', 'errorCode', 'errorMessage', 'skipReason', 'content'] as const;

export interface PackedEntries {
  count: number;
  /** Every entry's relative path, back to back. */
  paths: Uint8Array;
  /** Where each entry's path ends in `paths`. */
  pathEnds: Uint32Array;
  types: Uint8Array;
  /** mtimeNs, ctimeNs, birthtimeNs per entry (signed: times before 1970 exist). */
  times: BigInt64Array;
  /** size, mode, uid, gid, dev, ino, nlink per entry (unsigned: inode numbers can use all 64 bits). */
  ids: BigUint64Array;
  /** The rarer fields, by entry index. */
  extras: [index: number, extras: Extras][];
}

const TYPES: EntryType[] = ['file', 'dir', 'symlink', 'other'];
const TYPE_CODES = new Map(TYPES.map((type, code) => [type, code]));
const TIMES = 3;
const IDS = 7;

/** Collects entries on the walker's side; `take()` returns the batch and its buffers to transfer. */
export class EntryPacker {
  private paths: Buffer[] = [];
  private pathBytes = 0;
  private pathEnds: number[] = [];
  private types: number[] = [];
  private times: bigint[] = [];
  private ids: bigint[] = [];
  private extras: [number, Extras][] = [];

  get count(): number {
    return this.types.length;
  }

  add(entry: WalkedEntry): void {
    const index = this.types.length;
    this.paths.push(entry.relPath);
    this.pathBytes += entry.relPath.length;
    this.pathEnds.push(this.pathBytes);
    this.types.push(TYPE_CODES.get(entry.type)!);
    const s = entry.stat;
    this.times.push(s.mtimeNs, s.ctimeNs, s.birthtimeNs);
    this.ids.push(s.size, s.mode, s.uid, s.gid, s.dev, s.ino, s.nlink);
    let extras: Extras | undefined;
    for (const field of EXTRA_FIELDS) {
      if (entry[field] === undefined) continue;
      extras ??= {};
      (extras as Record<string, unknown>)[field] = entry[field];
    }
    if (extras) this.extras.push([index, extras]);
  }

  take(): { packed: PackedEntries; transfer: ArrayBuffer[] } {
    const packed: PackedEntries = {
      count: this.types.length,
      paths: Buffer.concat(this.paths, this.pathBytes),
      pathEnds: Uint32Array.from(this.pathEnds),
      types: Uint8Array.from(this.types),
      times: BigInt64Array.from(this.times),
      ids: BigUint64Array.from(this.ids),
      extras: this.extras,
    };
    this.paths = [];
    this.pathBytes = 0;
    this.pathEnds = [];
    this.types = [];
    this.times = [];
    this.ids = [];
    this.extras = [];
    // A small Buffer.concat result may sit in Node's shared pool, which cannot be transferred: it is copied instead.
    const transfer = [packed.pathEnds.buffer, packed.types.buffer, packed.times.buffer, packed.ids.buffer] as ArrayBuffer[];
    if (packed.paths.byteOffset === 0 && packed.paths.byteLength === packed.paths.buffer.byteLength) transfer.push(packed.paths.buffer as ArrayBuffer);
    return { packed, transfer };
  }
}

/** Rebuilds the entries on the scanner's side; absolute paths are the root prefix and the relative path. */
export function unpackEntries(packed: PackedEntries, rootPrefix: Buffer): WalkedEntry[] {
  const paths = Buffer.from(packed.paths.buffer, packed.paths.byteOffset, packed.paths.byteLength);
  const { pathEnds, types, times, ids } = packed;
  const entries: WalkedEntry[] = new Array(packed.count);
  let start = 0;
  for (let i = 0; i < packed.count; i++) {
    const relPath = paths.subarray(start, pathEnds[i]);
    start = pathEnds[i]!;
    const t = i * TIMES;
    const d = i * IDS;
    entries[i] = {
      relPath,
      absPath: Buffer.concat([rootPrefix, relPath]),
      type: TYPES[types[i]!]!,
      stat: {
        size: ids[d]!,
        mtimeNs: times[t]!,
        ctimeNs: times[t + 1]!,
        birthtimeNs: times[t + 2]!,
        mode: ids[d + 1]!,
        uid: ids[d + 2]!,
        gid: ids[d + 3]!,
        dev: ids[d + 4]!,
        ino: ids[d + 5]!,
        nlink: ids[d + 6]!,
      },
    };
  }
  for (const [index, extras] of packed.extras) {
    const entry = Object.assign(entries[index]!, extras);
    if (entry.linkTarget) entry.linkTarget = Buffer.from(entry.linkTarget.buffer, entry.linkTarget.byteOffset, entry.linkTarget.byteLength);
  }
  return entries;
}
