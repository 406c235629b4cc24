/**
 * Reading and hashing file content (XXH128, seed 0 — the same digests `xxhsum -H2` prints).
 * Synchronous on purpose: it runs inside hash workers, where blocking is the point.
 *
 * No native code here: the XXH128 implementation is given (the xxhash-addon in read.ts, a
 * WebAssembly one in wasm.ts for the single-file origin tool), the reading rules are the same.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { QuickXorHash } from './quickxor.ts';

/** The head and tail stages hash this many bytes from each end. */
export const EDGE_BYTES = 16 * 1024;
/** Files larger than this get a tail hash before a full one (a full read of smaller files is cheap). */
export const TAIL_MIN_SIZE = 1024 * 1024;

/** XXH128 of zero bytes (no read needed). */
export const EMPTY_XXH128 = '99aa06d3014798d86001c324468d497f';

export type HashKind = 'head' | 'tail' | 'full';
/** Hashes cloud inventories carry; computed only to confirm a counterpart file. */
export type DigestKind = 'sha1' | 'md5' | 'quickxor';

export interface HashTask {
  id: number;
  path: Uint8Array;
  kind: HashKind | DigestKind;
  /** Identity recorded by the walk; a file that no longer matches is reported, not hashed. */
  size: bigint;
  dev: bigint;
  ino: bigint;
  /** Also report the opened file's mtime and ctime (in ns), to keep the digest under them. */
  withTimes?: boolean;
}

/** A 'full' task also yields the head (and, for large files, tail) hash, so later stages can group it. */
export interface HashResult {
  id: number;
  head?: string;
  tail?: string;
  full?: string;
  /** sha1 / md5 / quickxor as lowercase hex. */
  digest?: string;
  bytesRead: number;
  errorCode?: string;
  errorMessage?: string;
  /** The opened file's times, taken before the read (tasks `withTimes`): a later write changes the ctime. */
  times?: { mtimeNs: bigint; ctimeNs: bigint };
}

/** An XXH128 (seed 0) implementation: a reusable streaming state and a one-shot digest, both lowercase hex. */
export interface Xxh128Engine {
  streaming(): { reset(): void; update(data: Uint8Array): void; digest(): string };
  oneShot(data: Uint8Array): string;
}

function changed(task: HashTask): HashResult {
  return { id: task.id, bytesRead: 0, errorCode: 'ECHANGED', errorMessage: 'file changed during the scan' };
}

/** A reusable reader: one hasher and one large buffer per thread. */
export class FileHasher {
  private readonly hasher: ReturnType<Xxh128Engine['streaming']>;
  private readonly buffer: Buffer;

  constructor(
    private readonly xxh128: Xxh128Engine,
    bufferBytes = 1024 * 1024,
  ) {
    this.hasher = xxh128.streaming();
    this.buffer = Buffer.allocUnsafe(Math.max(bufferBytes, EDGE_BYTES));
  }

  run(task: HashTask): HashResult {
    let fd: number | undefined;
    try {
      fd = fs.openSync(Buffer.from(task.path), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      if (!task.withTimes) {
        // Plain numbers are cheaper than bigint stats; both sides round the same way.
        const stat = fs.fstatSync(fd);
        if (stat.ino !== Number(task.ino) || stat.dev !== Number(task.dev) || stat.size !== Number(task.size)) return changed(task);
        return this.read(fd, task);
      }
      const stat = fs.fstatSync(fd, { bigint: true });
      if (stat.ino !== task.ino || stat.dev !== task.dev || stat.size !== task.size) return changed(task);
      return { ...this.read(fd, task), times: { mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs } };
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      return { id: task.id, bytesRead: 0, errorCode: err.code ?? 'EIO', errorMessage: err.message };
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** Hashes an open file that matched its task, as the task's kind asks. */
  private read(fd: number, task: HashTask): HashResult {
    const size = Number(task.size);
    if (task.kind === 'sha1' || task.kind === 'md5' || task.kind === 'quickxor') {
      const hasher = task.kind === 'quickxor' ? new QuickXorHash() : crypto.createHash(task.kind);
      const bytesRead = this.readRange(fd, 0, size, (chunk) => hasher.update(chunk));
      return { id: task.id, digest: hasher.digest().toString('hex'), bytesRead };
    }
    const edge = Math.min(size, EDGE_BYTES);
    if (task.kind === 'tail') {
      const { hash, bytesRead } = this.hashRange(fd, size - edge, edge);
      return { id: task.id, tail: hash, bytesRead };
    }
    if (task.kind === 'head' || size <= EDGE_BYTES) {
      const { hash, bytesRead } = this.hashRange(fd, 0, edge);
      return { id: task.id, head: hash, full: size <= EDGE_BYTES ? hash : undefined, bytesRead };
    }
    const result: HashResult = { id: task.id, bytesRead: 0 };
    const full = this.hashRange(fd, 0, size, (firstChunk) => {
      result.head = this.xxh128.oneShot(firstChunk.subarray(0, EDGE_BYTES));
    });
    result.full = full.hash;
    result.bytesRead = full.bytesRead;
    if (size > TAIL_MIN_SIZE) {
      const tail = this.hashRange(fd, size - EDGE_BYTES, EDGE_BYTES);
      result.tail = tail.hash;
      result.bytesRead += tail.bytesRead;
    }
    return result;
  }

  /** Hashes `length` bytes from `start`; a file that shrinks underneath is an error, not a short hash. */
  hashRange(fd: number, start: number, length: number, onFirstChunk?: (chunk: Buffer) => void): { hash: string; bytesRead: number } {
    this.hasher.reset();
    const bytesRead = this.readRange(fd, start, length, (chunk, offset) => {
      if (offset === 0) onFirstChunk?.(chunk);
      this.hasher.update(chunk);
    });
    return { hash: this.hasher.digest(), bytesRead };
  }

  /** Feeds `length` bytes from `start` through `consume`; a file that shrinks underneath is an error. */
  private readRange(fd: number, start: number, length: number, consume: (chunk: Buffer, offset: number) => void): number {
    let done = 0;
    while (done < length) {
      const want = Math.min(this.buffer.length, length - done);
      const got = fs.readSync(fd, this.buffer, 0, want, start + done);
      if (got === 0) throw Object.assign(new Error('file shrank while it was read'), { code: 'ECHANGED' });
      consume(this.buffer.subarray(0, got), done);
      done += got;
    }
    return done;
  }

  /** Full XXH128 of a file by path (manifests). */
  hashFile(file: string | Buffer): { hash: string; bytesRead: number } {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      return this.hashRange(fd, 0, Number(fs.fstatSync(fd).size));
    } finally {
      fs.closeSync(fd);
    }
  }
}
