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
