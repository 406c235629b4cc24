/**
 * Previews, images and diffs of files in the space. A file is named by a finding and the position
 * of one of its members, or by a catalogued entry's id (lib/files/file-ref.ts) — never by a path:
 * the path comes from the database, and lib/files still checks it component by component (inside
 * the space, no symbolic links, a regular file) before anything is read.
 */
import 'server-only';
import { z } from 'zod';
import { serverConfig } from '../config.ts';
import { engineDb } from '../db.ts';
import { ApiError } from '../api/respond.ts';
import { parseFileRef, type FileRef } from '../files/file-ref.ts';
import { UnsafePathError } from '../files/open-in-space.ts';
import { diffFiles, openImage, previewFile, PreviewRefused, type DiffView, type Preview } from '../files/preview.ts';
import { memberSpacePath } from './findings.ts';

/** One query value naming a file: `finding:<id>:<member>` or `entry:<id>`. */
export const fileRefSchema = z
  .string()
  .max(300)
  .transform((value, context) => {
    const ref = parseFileRef(value);
    if (!ref) context.addIssue({ code: 'custom', message: 'must be finding:<finding id>:<member index> or entry:<entry id>' });
    return ref ?? z.NEVER;
  });

export const fileQuerySchema = z.strictObject({ file: fileRefSchema });
export const diffQuerySchema = z.strictObject({ a: fileRefSchema, b: fileRefSchema });

/** A catalogued file's absolute path as raw bytes (names need not be UTF-8). */
function entryPath(id: number): Buffer {
  const row = engineDb()
    .prepare('SELECT e.relPath, e.type, e.removedScanId, s.root FROM Entry e JOIN Source s ON s.id = e.sourceId WHERE e.id = ?')
    .get(id) as { relPath: Buffer; type: string; removedScanId: number | null; root: string } | undefined;
  if (!row || row.removedScanId !== null) throw new ApiError('not_found', 'no such entry in the catalog');
  if (row.type !== 'file') throw new ApiError('bad_request', `this entry is a ${row.type}, not a file`);
  return Buffer.concat([Buffer.from(`${row.root.replace(/\/+$/, '')}/`, 'utf8'), row.relPath]);
}

function target(ref: FileRef): string | Buffer {
  return 'entry' in ref ? entryPath(ref.entry) : memberSpacePath(ref.finding, ref.member);
}

/** Maps a refused path to the uniform API error; the reason says why, never what is there. */
async function guarded<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof UnsafePathError) {
      const details = { reason: error.reason };
      if (error.reason === 'not-found') throw new ApiError('not_found', error.message, details);
      if (error.reason === 'outside-space' || error.reason === 'symlink') throw new ApiError('forbidden', error.message, details);
      throw new ApiError('bad_request', error.message, details);
    }
    if (error instanceof PreviewRefused) throw new ApiError('bad_request', error.message);
    throw error;
  }
}

export function previewRef(ref: FileRef): Promise<Preview> {
  return guarded(() => previewFile(serverConfig().space, target(ref)));
}

/** The image's bytes, streamed from the open file (images can be 25 MiB; nothing is held whole). */
export async function imageRef(ref: FileRef): Promise<Response> {
  const image = await guarded(() => openImage(serverConfig().space, target(ref)));
  return new Response(image.stream, {
    headers: {
      'content-type': image.mimeType,
      'content-length': String(image.size),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
}

export function diffRef(a: FileRef, b: FileRef): Promise<DiffView> {
  return guarded(() => diffFiles(serverConfig().space, target(a), target(b)));
}
