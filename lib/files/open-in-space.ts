/**
 * Opens a file for previews and diffs without ever leaving the configured space: the path is
 * checked lexically (no NUL, no `..`, no over-long names, absolute only under the space), every
 * component below the space root is lstat-ed and must be a real directory (never a symlink), the
 * file itself is opened with O_NOFOLLOW and must be the very inode that was checked.
 */
import 'server-only';
import fs from 'node:fs';
import path from 'node:path';

/** Longest name component POSIX filesystems hold, and a generous bound on the whole path. */
const maxNameBytes = 255;
const maxPathBytes = 4096;
const slash = 0x2f;

export type UnsafeReason =
  | 'nul-byte'
  | 'too-long'
  | 'dot-dot'
  | 'outside-space'
  | 'symlink'
  | 'not-a-file'
  | 'not-found'
  | 'unreadable';

/** A path the preview refuses; the message never includes file content. */
export class UnsafePathError extends Error {
  constructor(
    readonly reason: UnsafeReason,
    message: string,
  ) {
    super(message);
  }
}

export interface SpaceFile {
  /** Path relative to the space, as raw bytes (names need not be UTF-8). */
  relPath: Buffer;
  size: number;
  mtimeMs: number;
  mode: number;
  /** The open descriptor, for a document worker to read through (never closed there: `close` does). */
  fd: number;
  /** What the catalog knows the file by: with an unchanged mtime, its scan's content hash still holds. */
  dev: bigint;
  ino: bigint;
  mtimeNs: bigint;
  /** Reads at most `length` bytes from `offset`; shorter at the end of the file. */
  read(offset: number, length: number): Promise<Buffer>;
  /**
   * The file's first `size` bytes as a stream read as it is consumed (one chunk ahead), which owns
   * the file from then on: it is closed when the stream ends, fails or is cancelled.
   */
  stream(): ReadableStream<Uint8Array>;
  close(): Promise<void>;
}

const streamChunkBytes = 256 * 1024;

/**
 * Turns a path given relative to the space (or absolute, under the space) into its components.
 * Purely lexical: nothing on disk is touched.
 */
export function spaceComponents(space: string, input: string | Buffer): Buffer[] {
  const raw = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (raw.includes(0)) throw new UnsafePathError('nul-byte', 'path contains a NUL byte');
  if (raw.length === 0) throw new UnsafePathError('not-found', 'empty path');
  if (raw.length > maxPathBytes) throw new UnsafePathError('too-long', `path is longer than ${maxPathBytes} bytes`);
  let relative = raw;
  if (raw[0] === slash) {
    const root = Buffer.from(path.resolve(space).replace(/\/+$/, '') + '/', 'utf8');
    if (raw.length <= root.length || !raw.subarray(0, root.length).equals(root)) {
      throw new UnsafePathError('outside-space', 'absolute path is outside the space');
    }
    relative = raw.subarray(root.length);
  }
  const components: Buffer[] = [];
  let start = 0;
  for (let index = 0; index <= relative.length; index += 1) {
    if (index < relative.length && relative[index] !== slash) continue;
    const component = relative.subarray(start, index);
    start = index + 1;
    if (component.length === 0 || (component.length === 1 && component[0] === 0x2e)) continue;
    if (component.length === 2 && component[0] === 0x2e && component[1] === 0x2e) {
      throw new UnsafePathError('dot-dot', 'path contains ..');
    }
    if (component.length > maxNameBytes) throw new UnsafePathError('too-long', `a name is longer than ${maxNameBytes} bytes`);
    components.push(component);
  }
  if (components.length === 0) throw new UnsafePathError('not-a-file', 'path names the space itself');
  return components;
}

function joinBytes(base: Buffer, component: Buffer): Buffer {
  return Buffer.concat([base, Buffer.from('/'), component]);
}

function lstatOrRefuse(target: Buffer): fs.Stats {
  try {
    return fs.lstatSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UnsafePathError('not-found', 'no such file in the space');
    throw new UnsafePathError('unreadable', `cannot read (${code})`);
  }
}

/** Opens a regular file inside the space for reading. Throws UnsafePathError otherwise. */
export async function openInSpace(space: string, input: string | Buffer): Promise<SpaceFile> {
  const components = spaceComponents(space, input);
  let current: Buffer = Buffer.from(path.resolve(space), 'utf8');
  let stat: fs.Stats | undefined;
  for (const [index, component] of components.entries()) {
    current = joinBytes(current, component);
    stat = lstatOrRefuse(current);
    if (stat.isSymbolicLink()) throw new UnsafePathError('symlink', 'path goes through a symbolic link');
    const last = index === components.length - 1;
    if (!last && !stat.isDirectory()) throw new UnsafePathError('not-found', 'a parent is not a folder');
    if (last && !stat.isFile()) throw new UnsafePathError('not-a-file', 'not a regular file');
  }
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(current, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UnsafePathError('symlink', 'path is a symbolic link');
    throw new UnsafePathError(code === 'ENOENT' ? 'not-found' : 'unreadable', `cannot open (${code})`);
  }
  const opened = await handle.stat();
  // A component swapped for a link between the checks and the open would show up as another inode.
  if (!opened.isFile() || opened.ino !== stat!.ino || opened.dev !== stat!.dev) {
    await handle.close();
    throw new UnsafePathError('symlink', 'file changed while it was being opened');
  }
  const exact = await handle.stat({ bigint: true });
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= handle.close());
  const read = async (offset: number, length: number) => {
    const bounded = Math.max(0, Math.min(length, opened.size - offset));
    const buffer = Buffer.alloc(bounded);
    let filled = 0;
    while (filled < bounded) {
      const { bytesRead } = await handle.read(buffer, filled, bounded - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  };
  return {
    relPath: Buffer.concat(components.flatMap((component, index) => (index === 0 ? [component] : [Buffer.from('/'), component]))),
    size: opened.size,
    mtimeMs: opened.mtimeMs,
    mode: opened.mode,
    fd: handle.fd,
    dev: exact.dev,
    ino: exact.ino,
    mtimeNs: exact.mtimeNs,
    read,
    stream() {
      let offset = 0;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const chunk = await read(offset, streamChunkBytes);
            offset += chunk.length;
            if (chunk.length > 0) controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
            if (chunk.length === 0 || offset >= opened.size) {
              await close();
              controller.close();
            }
          } catch (error) {
            await close();
            controller.error(error);
          }
        },
        cancel: close,
      });
    },
    close,
  };
}

/** Opens, runs `use`, and always closes. */
export async function withSpaceFile<T>(space: string, input: string | Buffer, use: (file: SpaceFile) => Promise<T>): Promise<T> {
  const file = await openInSpace(space, input);
  try {
    return await use(file);
  } finally {
    await file.close();
  }
}
