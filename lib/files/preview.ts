/**
 * Bounded views of a file in the space for people: text (first 256 KiB), a hex summary (first
 * 512 bytes), raw image bytes (up to a cap), and line diffs between two files.
 */
import 'server-only';
import path from 'node:path';
import { diffLines } from 'diff';
import { withSpaceFile, type SpaceFile } from './open-in-space.ts';

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

async function previewOpen(file: SpaceFile): Promise<Preview> {
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

/** Raw bytes of an image in the space, for showing pictures side by side. */
export function readImage(space: string, target: string | Buffer): Promise<{ bytes: Buffer; mimeType: string }> {
  return withSpaceFile(space, target, async (file) => {
    const mimeType = imageTypeOf(file.relPath.toString('utf8'));
    if (!mimeType) throw new PreviewRefused('not an image');
    if (file.size > imageLimitBytes) throw new PreviewRefused(`image is larger than ${imageLimitBytes / 1024 / 1024} MiB`);
    return { bytes: await file.read(0, file.size), mimeType };
  });
}

export class PreviewRefused extends Error {}

export interface LineDiff {
  /** Each part is added (only in b), removed (only in a) or common. */
  parts: { op: 'add' | 'remove' | 'same'; lines: number; text: string }[];
  truncated: boolean;
  added: number;
  removed: number;
}

/** A line diff of the first 256 KiB of two text files; null when either is not text. */
export async function diffFiles(space: string, a: string | Buffer, b: string | Buffer): Promise<LineDiff | null> {
  const [left, right] = await Promise.all([previewFile(space, a), previewFile(space, b)]);
  if (left.kind !== 'text' || right.kind !== 'text') return null;
  return diffTexts(left.text, right.text, left.truncated || right.truncated);
}

export function diffTexts(a: string, b: string, truncated = false): LineDiff {
  const changes = diffLines(a, b);
  let added = 0;
  let removed = 0;
  const parts = changes.map((change) => {
    const lines = change.count ?? change.value.split('\n').length - 1;
    if (change.added) added += lines;
    if (change.removed) removed += lines;
    return { op: change.added ? ('add' as const) : change.removed ? ('remove' as const) : ('same' as const), lines, text: change.value };
  });
  return { parts, truncated, added, removed };
}
