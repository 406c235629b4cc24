/**
 * Per-entry checks paid only by new and changed entries: can this process read the file, and
 * which extended-attribute names does it carry.
 */
import { listAttributesSync } from '@napi-rs/xattr';
import type { WalkedEntry } from './walk.ts';

export function inspectEntry(entry: WalkedEntry, options: { xattrs: boolean }): void {
  if (entry.type === 'file' && !entry.errorCode && !readableByMode(entry)) {
    entry.errorCode = 'EACCES';
    entry.errorMessage = 'cannot read file: permission denied';
  }
  if (options.xattrs && entry.xattrs === undefined && (entry.type === 'file' || entry.type === 'dir')) entry.xattrs = readXattrNames(entry.absPath);
}

const uid = process.getuid?.() ?? 0;
const groups = new Set([process.getgid?.() ?? 0, ...(process.getgroups?.() ?? [])]);

/**
 * Whether this process may read the file, from the lstat mode bits (no extra syscall per file).
 * ACLs can grant more; a file this check passes but the kernel refuses is still caught when
 * it is opened for hashing, and recorded then.
 */
export function readableByMode(entry: WalkedEntry): boolean {
  if (uid === 0) return true;
  const mode = Number(entry.stat.mode);
  if (Number(entry.stat.uid) === uid) return (mode & 0o400) !== 0;
  if (groups.has(Number(entry.stat.gid))) return (mode & 0o040) !== 0;
  return (mode & 0o004) !== 0;
}

/** Extended-attribute names (Samba's user.DosStream.*, macOS com.apple.*), or null where unreadable. */
export function readXattrNames(absPath: Buffer): string[] | null {
  const text = absPath.toString('utf8');
  // The binding takes UTF-8 strings only; a name that is not valid UTF-8 cannot be passed to it.
  if (text.includes('\uFFFD') && !Buffer.from(text).equals(absPath)) return null;
  try {
    return listAttributesSync(text);
  } catch {
    return null;
  }
}
