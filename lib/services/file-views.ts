/**
 * Previews, images, diffs and thumbnails of files in the space. A file is named by a finding and
 * the position of one of its members, or by a catalogued entry's id (lib/files/file-ref.ts) —
 * never by a path: the path comes from the database, and lib/files still checks it component by
 * component (inside the space, no symbolic links, a regular file) before anything is read.
 * Documents, spreadsheets, PDFs, pictures and zips are read by engine/documents on worker
 * threads, through the descriptor opened here; plain text stays on the bounded line diff.
 */
import 'server-only';
import path from 'node:path';
import xxhash from 'xxhash-addon';
import { z } from 'zod';
import {
  DocumentPool,
  DocumentRefused,
  familyOf,
  limits,
  sniff,
  sniffBytes,
  type ContentType,
  type DocumentDiff,
  type DocumentView,
  type OpenedFile,
} from '../../engine/documents/index.ts';
import { serverConfig } from '../config.ts';
import { engineDb } from '../db.ts';
import { ApiError } from '../api/respond.ts';
import { parseFileRef, type FileRef } from '../files/file-ref.ts';
import { openInSpace, UnsafePathError, withSpaceFile, type SpaceFile } from '../files/open-in-space.ts';
import { diffFiles, openImage, previewOpen, PreviewRefused, type DiffView, type FileFacts, type Preview } from '../files/preview.ts';
import { ThumbnailCache } from '../files/thumbnail-cache.ts';
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

export type { Comparison, DocumentContent, DocumentDiff, DocumentView, ImageFacts, Refusal } from '../../engine/documents/index.ts';

/** The content a document worker read: paragraphs, cells, pages, picture facts or zip entries — or why not. */
export interface DocumentPreview extends Omit<FileFacts, 'kind'> {
  kind: 'document';
  contentType: ContentType;
  view: DocumentView;
}

/** Pictures keep their hex preview and gain their facts (dimensions, EXIF) as `document`. */
export type FilePreview = Preview | DocumentPreview | (Preview & { kind: 'image'; document: DocumentView });

/** A line diff for text, a content-aware diff for documents, pictures and zips, or why there is none. */
export type FileDiff = DiffView | DocumentDiff;

/** One pool for the whole server process (Next may load this module more than once). */
function pool(): DocumentPool {
  const shared = globalThis as { reconcileDocumentPool?: DocumentPool };
  return (shared.reconcileDocumentPool ??= new DocumentPool());
}

function cache(): ThumbnailCache {
  const shared = globalThis as { reconcileThumbnailCache?: ThumbnailCache };
  return (shared.reconcileThumbnailCache ??= new ThumbnailCache(path.join(serverConfig().dataDir, 'thumbnails')));
}

/** Bumped when thumbnails or overlays are drawn differently, so cached ones are not reused. */
const renderVersion = 'v1';

const workerFamilies = new Set(['document', 'spreadsheet', 'pdf', 'image', 'archive']);

const opened = (file: SpaceFile): OpenedFile => ({ fd: file.fd, size: file.size, name: path.basename(file.relPath.toString('utf8')) });

async function typeOf(file: SpaceFile): Promise<ContentType> {
  return sniff(await file.read(0, sniffBytes), path.basename(file.relPath.toString('utf8')), file.size);
}

export function previewRef(ref: FileRef): Promise<FilePreview> {
  return guarded(() =>
    withSpaceFile(serverConfig().space, target(ref), async (file): Promise<FilePreview> => {
      const type = await typeOf(file);
      const family = familyOf(type);
      if (!workerFamilies.has(family)) return previewOpen(file);
      const view = await pool().view(opened(file));
      if (family === 'image') return { ...(await previewOpen(file)), kind: 'image', document: view } as FilePreview;
      return { size: file.size, mtimeMs: file.mtimeMs, mode: file.mode, mimeType: null, kind: 'document', contentType: type, view };
    }),
  );
}

/**
 * The file's XXH128: the catalog's, when the scan hashed this very inode at this size and mtime;
 * else computed now (thumbnails and overlays are of files within the document limits).
 */
async function contentHash(file: SpaceFile): Promise<string> {
  const known = engineDb()
    .prepare('SELECT fullHash FROM Entry WHERE dev = ? AND ino = ? AND size = ? AND mtimeNs = ? AND removedScanId IS NULL AND fullHash IS NOT NULL LIMIT 1')
    .pluck()
    .get(file.dev, file.ino, file.size, file.mtimeNs) as string | undefined;
  if (known) return known;
  if (file.size > limits.documentBytes) throw new DocumentRefused('too-large', `the file is larger than ${limits.documentBytes} bytes`);
  const hasher = new xxhash.XXHash128(Buffer.alloc(8));
  for (let offset = 0; offset < file.size; ) {
    const chunk = await file.read(offset, 1024 * 1024);
    if (chunk.length === 0) break;
    hasher.update(chunk);
    offset += chunk.length;
  }
  return hasher.digest().toString('hex');
}

function png(bytes: Uint8Array): Response {
  return new Response(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), {
    headers: {
      'content-type': 'image/png',
      'content-length': String(bytes.byteLength),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
}

/** Refusals of a picture request (too large, unreadable, timed out) are 422s with the reason. */
function refusedImage(error: unknown): never {
  if (error instanceof DocumentRefused) throw new ApiError('unprocessable', error.message, { reason: error.reason });
  throw error;
}

/** A PNG thumbnail of a picture or a PDF's first page, made on demand and cached by content hash. */
export async function thumbnailRef(ref: FileRef): Promise<Response> {
  return guarded(() =>
    withSpaceFile(serverConfig().space, target(ref), async (file) => {
      const key = `thumb-${await contentHash(file).catch(refusedImage)}-${renderVersion}`;
      const cached = await cache().get(key);
      if (cached) return png(cached);
      const bytes = await pool().thumbnail(opened(file)).catch(refusedImage);
      await cache().put(key, bytes);
      return png(bytes);
    }),
  );
}

async function withTwo<T>(a: FileRef, b: FileRef, use: (left: SpaceFile, right: SpaceFile) => Promise<T>): Promise<T> {
  const space = serverConfig().space;
  const left = await openInSpace(space, target(a));
  try {
    return await withSpaceFile(space, target(b), (right) => use(left, right));
  } finally {
    await left.close();
  }
}

const overlayKey = async (left: SpaceFile, right: SpaceFile) => `overlay-${await contentHash(left)}-${await contentHash(right)}-${renderVersion}`;

/** Where two pictures differ: the first faded, differing pixels in red (cached by both content hashes). */
export async function overlayRef(a: FileRef, b: FileRef): Promise<Response> {
  return guarded(() =>
    withTwo(a, b, async (left, right) => {
      const key = await overlayKey(left, right).catch(refusedImage);
      const cached = await cache().get(key);
      if (cached) return png(cached);
      const bytes = await pool().overlay(opened(left), opened(right)).catch(refusedImage);
      await cache().put(key, bytes);
      return png(bytes);
    }),
  );
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

/**
 * Two text files: the bounded line diff. Two documents, spreadsheets, PDFs, pictures or zips: the
 * worker's diff (for pictures, the overlay it drew is cached for overlayRef). Anything else: not-text.
 */
export function diffRef(a: FileRef, b: FileRef): Promise<FileDiff> {
  return guarded(() =>
    withTwo(a, b, async (left, right): Promise<FileDiff> => {
      const [leftType, rightType] = [await typeOf(left), await typeOf(right)];
      if (leftType === 'text' && rightType === 'text') return diffFiles(serverConfig().space, target(a), target(b));
      if (!workerFamilies.has(familyOf(leftType)) || !workerFamilies.has(familyOf(rightType))) return { status: 'not-text' };
      const { diff, overlay } = await pool().diff(opened(left), opened(right));
      if (overlay) await cache().put(await overlayKey(left, right), overlay);
      return diff;
    }),
  );
}
