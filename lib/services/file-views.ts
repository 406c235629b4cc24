/**
 * Previews, images and diffs of files in the space. A file is named either by a finding and the
 * position of one of its members (resolved from the database: the preferred way) or by a path in
 * the space, which lib/files checks component by component before anything is read.
 */
import 'server-only';
import { z } from 'zod';
import { serverConfig } from '../config.ts';
import { ApiError } from '../api/respond.ts';
import { UnsafePathError } from '../files/open-in-space.ts';
import { diffFiles, previewFile, PreviewRefused, readImage, type DiffView, type Preview } from '../files/preview.ts';
import { memberSpacePath } from './findings.ts';

const findingId = z.string().min(1).max(200);
const memberIndex = z.coerce.number().int().min(0).max(100_000);
const spacePath = z.string().min(1).max(8192);

export const fileRefSchema = z.union([z.object({ finding: findingId, member: memberIndex }), z.object({ path: spacePath })]);
export type FileRef = z.infer<typeof fileRefSchema>;

export const diffRefSchema = z.union([
  z.object({ finding: findingId, a: memberIndex, b: memberIndex }),
  z.object({ a: spacePath, b: spacePath }),
]);
export type DiffRef = z.infer<typeof diffRefSchema>;

function target(ref: FileRef): string {
  return 'finding' in ref ? memberSpacePath(ref.finding, ref.member) : ref.path;
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

export async function imageRef(ref: FileRef): Promise<Response> {
  const { bytes, mimeType } = await guarded(() => readImage(serverConfig().space, target(ref)));
  return new Response(new Uint8Array(bytes), {
    headers: {
      'content-type': mimeType,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
}

export async function diffRef(ref: DiffRef): Promise<DiffView> {
  const [a, b] =
    'finding' in ref ? [memberSpacePath(ref.finding, ref.a), memberSpacePath(ref.finding, ref.b)] : [ref.a, ref.b];
  return guarded(() => diffFiles(serverConfig().space, a, b));
}
