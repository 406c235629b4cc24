/**
 * Bounded views of a file in the space for people: text (first 256 KiB), a hex summary (first
 * 512 bytes), raw image bytes (up to a cap), and bounded line diffs between two files (line-diff.ts).
 */
import 'server-only';
import path from 'node:path';
import { diffTexts, type LineDiffResult } from './line-diff.ts';
import { openInSpace, withSpaceFile, type SpaceFile } from './open-in-space.ts';

export const textLimitBytes = 256 * 1024;
export const hexLimitBytes = 512;
export const imageLimitBytes = 25 * 1024 * 1024;

const imageTypes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.avif': 'image/avif',
};

export type PreviewKind = 'text' | 'image' | 'binary';

export interface FileFacts {
  size: number;
  mtimeMs: number;
  mode: number;
  kind: PreviewKind;
  mimeType: string | null;
}

export interface TextPreview extends FileFacts {
  kind: 'text';
  text: string;
  truncated: boolean;
}

export interface HexPreview extends FileFacts {
  kind: 'image' | 'binary';
  /** Rows of 16 bytes: offset, hex and printable ASCII. */
  hex: { offset: number; hex: string; ascii: string }[];
}

export type Preview = TextPreview | HexPreview;

export function imageTypeOf(name: string): string | null {
  return imageTypes[path.extname(name).toLowerCase()] ?? null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text when the head has no NUL and decodes as UTF-8 (a cut multi-byte character at the end is fine). */
function decodeText(head: Buffer, truncated: boolean): string | null {
  if (head.includes(0)) return null;
  for (let trim = 0; trim <= (truncated ? 3 : 0); trim += 1) {
    try {
      return strictUtf8.decode(head.subarray(0, head.length - trim));
    } catch {
      // try once more without a possibly cut final character
    }
  }
  return null;
}

function hexRows(bytes: Buffer): HexPreview['hex'] {
  const rows: HexPreview['hex'] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    rows.push({
      offset,
      hex: [...row].map((byte) => byte.toString(16).padStart(2, '0')).join(' '),
      ascii: [...row].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join(''),
    });
  }
  return rows;
}

/** The text or hex preview of a file already opened in the space. */
export async function previewOpen(file: SpaceFile): Promise<Preview> {
  const name = file.relPath.toString('utf8');
  const facts = { size: file.size, mtimeMs: file.mtimeMs, mode: file.mode };
  const mimeType = imageTypeOf(name);
  if (!mimeType) {
    const head = await file.read(0, textLimitBytes);
    const truncated = file.size > head.length;
    const text = decodeText(head, truncated);
    if (text !== null) return { ...facts, kind: 'text', mimeType: 'text/plain', text, truncated };
  }
  const head = await file.read(0, hexLimitBytes);
  return { ...facts, kind: mimeType ? 'image' : 'binary', mimeType, hex: hexRows(head) };
}

/** A text view, or a hex summary for binaries and images. */
export function previewFile(space: string, target: string | Buffer): Promise<Preview> {
  return withSpaceFile(space, target, previewOpen);
}

export interface OpenImage {
  /** The bytes, read as they are sent; the stream closes the file. */
  stream: ReadableStream<Uint8Array>;
  size: number;
  mimeType: string;
}

/** An image in the space, for showing pictures side by side: streamed, never held whole (up to 25 MiB). */
export async function openImage(space: string, target: string | Buffer): Promise<OpenImage> {
  const file = await openInSpace(space, target);
  const mimeType = imageTypeOf(file.relPath.toString('utf8'));
  if (!mimeType || file.size > imageLimitBytes) {
    await file.close();
    throw new PreviewRefused(mimeType ? `image is larger than ${imageLimitBytes / 1024 / 1024} MiB` : 'not an image');
  }
  return { stream: file.stream(), size: file.size, mimeType };
}

export class PreviewRefused extends Error {}

/** What a diff request gets: a bounded line diff, "too different", or "not text" (compare the previews instead). */
export type DiffView = LineDiffResult | { status: 'not-text' };

/** A line diff of the first 256 KiB of two text files. */
export async function diffFiles(space: string, a: string | Buffer, b: string | Buffer): Promise<DiffView> {
  const [left, right] = await Promise.all([previewFile(space, a), previewFile(space, b)]);
  if (left.kind !== 'text' || right.kind !== 'text') return { status: 'not-text' };
  return diffTexts(left.text, right.text, { truncated: left.truncated || right.truncated });
}
