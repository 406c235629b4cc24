/**
 * Name patterns the transfers and the operating systems leave behind. Each test returns the rule
 * that matched (recorded on the finding) or null.
 */

/** OS and sync-tool litter: nothing a person wrote. */
export function artifactRule(name: string, type: string): string | null {
  if (name === '.DS_Store') return 'macos-ds-store';
  if (name.startsWith('._') && name.length > 2) return 'macos-appledouble';
  if (name === 'Icon\r') return 'macos-icon';
  if (type === 'dir' && ['.Spotlight-V100', '.Trashes', '.fseventsd', '.TemporaryItems'].includes(name)) {
    return 'macos-volume-folder';
  }
  const lower = name.toLowerCase();
  if (lower === 'thumbs.db' || lower === 'ehthumbs.db') return 'windows-thumbs-db';
  if (lower === 'desktop.ini') return 'windows-desktop-ini';
  if (type === 'dir' && lower === '$recycle.bin') return 'windows-recycle-bin';
  if (name.startsWith('~$')) return 'office-lock-file';
  if (name.endsWith(':Zone.Identifier')) return 'windows-zone-identifier';
  if (type !== 'file') return null;
  if (/\.sync-conflict-\d{8}-\d{6}(-[A-Z0-9]+)?(\.|$)/.test(name)) return 'syncthing-conflict';
  if (/ \(conflicted copy [^)]*\)/i.test(name)) return 'nextcloud-conflicted-copy';
  if (/\.conflict\d+$/.test(name)) return 'rclone-bisync-conflict';
  if (copySuffixBase(name) !== null) return 'copy-suffix';
  return null;
}

/** `name (1).ext`, `name - Copy.ext`, `name - Copy (2).ext` → `name.ext`. */
export function copySuffixBase(name: string): string | null {
  const match = /^(.+?)(?: \(\d+\)| - Copy(?: \(\d+\))?)(\.[^.]+)?$/.exec(name);
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
