/**
 * Name patterns the transfers and the operating systems leave behind. Each test returns the rule
 * that matched (recorded on the finding) or null.
 */

/**
 * Content-free litter the operating systems and sync tools write: nothing a person wrote, so
 * archiving it loses nothing. `size` guards names a person might also use (an Office owner file
 * is a few hundred bytes; a 40 KB `~$notes.docx` is somebody's document).
 */
export function litterRule(name: string, type: string, size: number): string | null {
  if (type === 'dir') {
    if (name === '.Spotlight-V100' || name === '.fseventsd') return 'macos-volume-index';
    return null;
  }
  if (type !== 'file') return null;
  if (name === '.DS_Store') return 'macos-ds-store';
  if (name === 'Icon\r') return 'macos-icon';
  if (name === '.localized' && size === 0) return 'macos-localized';
  const lower = name.toLowerCase();
  if (lower === 'thumbs.db' || lower === 'ehthumbs.db') return 'windows-thumbs-db';
  if (lower === 'desktop.ini') return 'windows-desktop-ini';
  if (name.startsWith('~$') && size <= 4096) return 'office-lock-file';
  // NTFS alternate data streams that a copy to a non-NTFS target saved as files of their own.
  if (name.endsWith(':Zone.Identifier')) return 'windows-zone-identifier';
  if (/:(SmartScreen|encryptable|OECustomProperty|com\.dropbox\.attrs|com\.dropbox\.attributes)$/.test(name)) return 'windows-alternate-stream';
  return null;
}

/**
 * Trash folders: what a person deleted on the origin, still user files. Reviewed as one group per
 * folder, never litter.
 */
export function trashFolderRule(name: string, type: string): string | null {
  if (type !== 'dir') return null;
  if (name === '.Trashes') return 'macos-volume-trash';
  if (name === '.Trash') return 'macos-user-trash';
  if (/^\.Trash-[^/]+$/.test(name)) return 'freedesktop-trash';
  const lower = name.toLowerCase();
  if (lower === '$recycle.bin' || lower === 'recycler' || lower === 'recycled') return 'windows-recycle-bin';
  return null;
}

/** No litter, copy-suffix, conflict-copy or AppleDouble name (the priority rule `cleanest-name`). */
export function isCleanName(name: string, type: string, size: number): boolean {
  return litterRule(name, type, size) === null && copyName(name) === null && appleDoubleDataName(name) === null;
}

/** The data file an AppleDouble `._name` carries the resource fork and extended attributes of. */
export function appleDoubleDataName(name: string): string | null {
  return name.startsWith('._') && name.length > 2 ? name.slice(2) : null;
}

/** A copy or conflict copy a person or a sync tool made of `original`, in the same folder. */
export interface CopyName {
  rule: string;
  original: string;
}

/**
 * Copy-suffix and sync-tool conflict-copy names, with the name of the file they copy. Their bytes
 * decide what they are (a duplicate, or a conflicting version), never the name alone.
 */
export function copyName(name: string): CopyName | null {
  const syncthing = /^(.*)\.sync-conflict-\d{8}-\d{6}(?:-[A-Z0-9]+)?(\.[^.]*)?$/.exec(name);
  if (syncthing && syncthing[1]) return { rule: 'syncthing-conflict', original: `${syncthing[1]}${syncthing[2] ?? ''}` };
  // Nextcloud `name (conflicted copy 2025-09-14 101500).ext`, Dropbox `name (Mike's conflicted copy 2025-09-14).ext`.
  const conflicted = /^(.+?) \((?:[^()]*'s )?conflicted copy[^()]*\)(\.[^.]+)?$/i.exec(name);
  if (conflicted) return { rule: 'nextcloud-conflicted-copy', original: `${conflicted[1]}${conflicted[2] ?? ''}` };
  // rclone bisync: `name.conflict1` (or `name.conflict1.ext` with --suffix-keep-extension), legacy `name..path1`.
  const bisync = /^(.+?)(?:\.conflict\d+|\.\.path[12])(\.[^.]+)?$/.exec(name);
  if (bisync) return { rule: 'rclone-bisync-conflict', original: `${bisync[1]}${bisync[2] ?? ''}` };
  const original = copySuffixBase(name);
  return original === null ? null : { rule: 'copy-suffix', original };
}

/** `name (1).ext`, `name - Copy.ext`, `name - Copy (2).ext`, `name copy.ext`, `name copy 2.ext` → `name.ext`. */
export function copySuffixBase(name: string): string | null {
  const match = /^(.+?)(?: \(\d+\)| - Copy(?: \(\d+\))?| copy(?: \d+)?)(\.[^.]+)?$/.exec(name);
  return match ? `${match[1]}${match[2] ?? ''}` : null;
}

/** OneDrive's conflict copy `name-HOSTNAME.ext`, for the hosts the sources name. */
export function oneDriveConflictMatcher(hosts: readonly string[]): (name: string) => string | null {
  if (hosts.length === 0) return () => null;
  const pattern = new RegExp(`^(.+)-(?:${hosts.map(escapeRegExp).join('|')})(\\.[^.]+)?$`, 'i');
  return (name) => {
    const match = pattern.exec(name);
    return match ? `${match[1]}${match[2] ?? ''}` : null;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Unfinished transfers recognisable by name alone. */
export function partialNameRule(name: string, type: string): string | null {
  if (type === 'dir') {
    if (name === '.rsync-partial') return 'rsync-partial-dir';
    if (name === '.~tmp~') return 'rsync-tmp-dir';
    return null;
  }
  if (type !== 'file') return null;
  if (/\.partial$/.test(name)) return 'rclone-partial';
  if (/\.crdownload$/.test(name)) return 'browser-crdownload';
  if (/\.part$/.test(name)) return 'browser-part';
  // rsync writes `.name.XXXXXX` (mkstemp letters and digits) and renames it when done.
  const rsync = /^\.(.+)\.([A-Za-z0-9]{6})$/.exec(name);
  if (rsync && /[A-Z0-9]/.test(rsync[2]!) && /[a-z]/i.test(rsync[2]!)) return 'rsync-temp-file';
  return null;
}

/** iCloud Drive's stand-in for a file that was never downloaded: `.Name.ext.icloud`. */
export function icloudStubName(name: string): string | null {
  const match = /^\.(.+)\.icloud$/.exec(name);
  return match ? match[1]! : null;
}

const reservedWindowsNames = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\..*)?$/i;

/** Names Windows and SMB clients cannot hold. */
export function windowsNameRule(name: string): string | null {
  if (/[. ]$/.test(name)) return 'windows-trailing-dot-or-space';
  if (/[<>:"|?*\\]/.test(name)) return 'windows-reserved-character';
  // eslint-disable-next-line no-control-regex
  if (/[\x01-\x1f]/.test(name)) return 'windows-control-character';
  if (reservedWindowsNames.test(name)) return 'windows-reserved-name';
  return null;
}
