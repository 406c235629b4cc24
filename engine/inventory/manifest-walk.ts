/**
 * A manifest's entries as text: walks a folder (or its share of it), hashes each file right where
 * it is walked and renders the JSON lines in chunks. Runs on walker threads (manifest.worker.ts,
 * the CLI) or on the main thread (the single-file origin tool); no native code, so both share it.
 */
import { EMPTY_XXH128, type FileHasher } from '../hash/content.ts';
import { walk, type WalkShare, type WalkedEntry } from '../scan/walk.ts';
import type { ManifestEntry } from './formats.ts';

export interface ManifestCounts {
  entries: number;
  files: number;
  bytes: number;
  hashed: number;
}

export interface ManifestChunk extends ManifestCounts {
  /** JSON lines, each ending in a newline. */
  text: string;
  /** Entries left out (vanished) or written with an `error` (a folder not listed, a file not hashed), with why. */
  skipped: { path: string; code: string }[];
}

/** A chunk ends after this many entries or this many bytes read, whichever comes first (progress stays live). */
const CHUNK_ENTRIES = 1000;
const CHUNK_BYTES_READ = 64 * 1024 * 1024;

export interface ManifestWalkOptions {
  share?: WalkShare;
  /** Hash every file (--hash). */
  hasher?: FileHasher;
}

export function* manifestChunks(root: string, options: ManifestWalkOptions): Generator<ManifestChunk> {
  let chunk = emptyChunk();
  let bytesRead = 0;
  const entries = walk(root, {
    boundary: root,
    share: options.share,
    onVanished: (problem) => chunk.skipped.push({ path: problem.relPath.toString('utf8'), code: problem.code }),
  });
  for (const entry of entries) {
    chunk.entries++;
    let xxh128: string | undefined;
    let error = entry.errorCode;
    // A folder that could not be listed (macOS privacy protection, permissions) is written with its
    // error: the server then knows its content is unknown, rather than empty.
    if (error) chunk.skipped.push({ path: entry.relPath.toString('utf8'), code: error });
    else if (entry.type === 'file') {
      chunk.files++;
      chunk.bytes += Number(entry.stat.size);
      if (options.hasher) {
        const hashed = hashOf(entry, options.hasher);
        if ('code' in hashed) {
          error = hashed.code;
          chunk.skipped.push({ path: entry.relPath.toString('utf8'), code: error });
        } else {
          chunk.hashed++;
          xxh128 = hashed.hash;
          bytesRead += hashed.bytesRead;
        }
      }
    }
    chunk.text += `${JSON.stringify(manifestLine(entry, xxh128, error))}\n`;
    if (chunk.entries >= CHUNK_ENTRIES || bytesRead >= CHUNK_BYTES_READ) {
      yield chunk;
      chunk = emptyChunk();
      bytesRead = 0;
    }
  }
  if (chunk.entries > 0 || chunk.skipped.length > 0) yield chunk;
}

function emptyChunk(): ManifestChunk {
  return { text: '', entries: 0, files: 0, bytes: 0, hashed: 0, skipped: [] };
}

/** A file's XXH128, or the code of the error that stopped its read (EACCES, EDEADLK for a cloud file that could not be fetched). */
function hashOf(entry: WalkedEntry, hasher: FileHasher): { hash: string; bytesRead: number } | { code: string } {
  const { size, dev, ino } = entry.stat;
  if (size === 0n) return { hash: EMPTY_XXH128, bytesRead: 0 };
  const result = hasher.run({ id: 0, path: entry.absPath, kind: 'full', size, dev, ino });
  if (result.errorCode || !result.full) return { code: result.errorCode ?? 'EIO' };
  return { hash: result.full, bytesRead: result.bytesRead };
}

export function manifestLine(entry: WalkedEntry, xxh128: string | undefined, error: string | undefined): ManifestEntry {
  const text = entry.relPath.toString('utf8');
  return {
    path: text,
    // Names that are not valid UTF-8 keep their exact bytes.
    ...(Buffer.from(text).equals(entry.relPath) ? {} : { pathBytes: entry.relPath.toString('base64') }),
    type: entry.type,
    size: entry.type === 'file' ? Number(entry.stat.size) : 0,
    mtimeNs: entry.stat.mtimeNs.toString(),
    ...(xxh128 ? { xxh128 } : {}),
    ...(error ? { error } : {}),
  };
}
