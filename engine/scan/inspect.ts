/**
 * Per-entry checks paid only by new and changed entries: can this process read the file, and
 * which extended-attribute names does it carry.
 */
import fs from 'node:fs';
import { listAttributesSync } from '@napi-rs/xattr';
import type { WalkedEntry } from './walk.ts';

export function inspectEntry(entry: WalkedEntry, options: { xattrs: boolean }): void {
  if (entry.type === 'file' && !entry.errorCode) {
    try {
      fs.accessSync(entry.absPath, fs.constants.R_OK);
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      entry.errorCode = err.code ?? 'EIO';
      entry.errorMessage = `cannot read file: ${err.message}`;
    }
  }
  if (options.xattrs && (entry.type === 'file' || entry.type === 'dir')) entry.xattrs = readXattrNames(entry.absPath);
}

/** Extended-attribute names (Samba's user.DosStream.*, macOS com.apple.*), or null where unreadable. */
function readXattrNames(absPath: Buffer): string[] | null {
  const text = absPath.toString('utf8');
  // The binding takes UTF-8 strings only; a name that is not valid UTF-8 cannot be passed to it.
  if (text.includes('\uFFFD') && !Buffer.from(text).equals(absPath)) return null;
  try {
    return listAttributesSync(text);
  } catch {
    return null;
  }
}
