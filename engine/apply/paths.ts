/**
 * Paths as raw bytes. Names that are not valid UTF-8 must reach the file system unchanged, so
 * every operation carries a Buffer path; strings are only for display and journals.
 */
import type { JournalPath } from '../journal/index.ts';

const slash = 0x2f;
const decoder = new TextDecoder('utf-8', { fatal: false });
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function displayPath(raw: Uint8Array): string {
  return decoder.decode(raw);
}

/** True when the bytes are valid UTF-8 and so survive a round trip through a string. */
export function isUtf8(raw: Uint8Array): boolean {
  try {
    strictDecoder.decode(raw);
    return true;
  } catch {
    return false;
  }
}

/** The raw bytes of a planned path: its base64 form when given, else the UTF-8 string. */
export function rawPath(display: string, b64?: string | null): Buffer {
  return b64 ? Buffer.from(b64, 'base64') : Buffer.from(display, 'utf8');
}

export function journalPath(raw: Buffer): JournalPath {
  return isUtf8(raw) ? { path: raw.toString('utf8') } : { path: displayPath(raw), b64: raw.toString('base64') };
}

export function fromJournalPath(entry: JournalPath): Buffer {
  return rawPath(entry.path, entry.b64);
}

export function parentOf(raw: Buffer): Buffer {
  const index = raw.lastIndexOf(slash);
  return index <= 0 ? Buffer.from('/') : raw.subarray(0, index);
}

export function joinPath(dir: Buffer, name: string | Buffer): Buffer {
  return Buffer.concat([dir, Buffer.from('/'), typeof name === 'string' ? Buffer.from(name) : name]);
}

/** Replaces every `{run}` token (planned destinations name the run before it exists). */
export function substituteRun(raw: Buffer, runId: string): Buffer {
  const token = Buffer.from('{run}');
  const parts: Buffer[] = [];
  let start = 0;
  for (let index = raw.indexOf(token); index !== -1; index = raw.indexOf(token, start)) {
    parts.push(raw.subarray(start, index), Buffer.from(runId));
    start = index + token.length;
  }
  parts.push(raw.subarray(start));
  return Buffer.concat(parts);
}

/** True when `raw` is `root` or inside it. */
export function isInside(raw: Buffer, root: string): boolean {
  const base = Buffer.from(root.replace(/\/+$/, ''));
  return raw.equals(base) || (raw.length > base.length && raw.subarray(0, base.length).equals(base) && raw[base.length] === slash);
}
