/** Origin paths: a manifest stores '/'-separated relative paths plus the root as its host names it. */
import path from 'node:path';
import type { PathStyle } from './formats.ts';

/** The host's own name for an entry: `C:\Users\mike\MDT\` + `a/b.txt` → `C:\Users\mike\MDT\a\b.txt`. */
export function originPathOf(root: string, relPath: string, style: PathStyle): string {
  const separator = style === 'windows' ? '\\' : '/';
  const base = root.endsWith('/') || root.endsWith('\\') || root.endsWith(':') ? root : `${root}${separator}`;
  return `${base}${style === 'windows' ? relPath.replaceAll('/', '\\') : relPath}`;
}

/** A native relative path (as `path.relative` gives it on that platform) in manifest form. */
export function toManifestPath(nativeRelative: string, style: PathStyle): string {
  return style === 'windows' ? nativeRelative.split(path.win32.sep).join('/') : nativeRelative;
}

/** The folder a manifest run describes, as its host names it (absolute, with the platform's separators). */
export function manifestRoot(dir: string, style: PathStyle): string {
  return style === 'windows' ? path.win32.resolve(dir) : path.posix.resolve(dir);
}

/** nfc key and case-folded key of an origin path, comparable with Entry.nfcKey / foldKey. */
export function nameKeys(relPath: string): { nfcKey: string; foldKey: string } {
  const nfcKey = relPath.normalize('NFC');
  return { nfcKey, foldKey: nfcKey.toLowerCase().normalize('NFC') };
}

/**
 * rclone shows control characters in names as the Unicode control pictures (a newline as ␊,
 * U+240A; DEL as ␡) and escapes a picture that was in the name itself with ‛ (U+201B): the name as
 * the files have it on disk, which is what landed in the space.
 */
export function decodeRcloneName(name: string): string {
  let decoded = '';
  for (let index = 0; index < name.length; index += 1) {
    const char = name[index]!;
    const code = char.charCodeAt(0);
    const next = name[index + 1];
    if (char === '\u201b' && next !== undefined && isControlPicture(next.charCodeAt(0))) {
      decoded += next;
      index += 1;
    } else if (code >= 0x2400 && code <= 0x241f) decoded += String.fromCharCode(code - 0x2400);
    else if (code === 0x2421) decoded += '\x7f';
    else decoded += char;
  }
  return decoded;
}

function isControlPicture(code: number): boolean {
  return (code >= 0x2400 && code <= 0x241f) || code === 0x2421 || code === 0x201b;
}
