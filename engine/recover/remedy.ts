/**
 * What a person must do at the origin before a fetch can succeed, read from the transfer logs'
 * last word on the entry and from the kind of origin: macOS privacy (TCC) grants, files that are
 * cloud-only at the origin, access denied, files in use, a cloud that throttled the copy.
 */
import type { ResolvedSource } from '../config/index.ts';
import type { RecoveryReason } from '../classify/index.ts';

export interface LoggedError {
  code: string | null;
  message: string;
  tool: string;
}

const mac = (source: ResolvedSource): boolean => source.kind === 'icloud' || (source.origin?.startsWith('/Users/') ?? false);
const host = (source: ResolvedSource): string => source.host ?? 'the origin host';

/** macOS privacy protection: Downloads, Desktop, Documents and other folders need an explicit grant. */
export function tccRemedy(source: ResolvedSource): string {
  return (
    `macOS privacy protection (TCC) blocked reading it on ${host(source)} ("Operation not permitted"): ` +
    'grant Full Disk Access (System Settings → Privacy & Security → Full Disk Access) to the app that runs the copy — ' +
    'Terminal or iTerm for the push form, or /usr/bin/rsync itself; for a pull over ssh, turn on "Allow full disk access for remote users" ' +
    '(System Settings → General → Sharing → Remote Login, macOS 13 and later) — then fetch again'
  );
}

export function isPermissionBlock(error: LoggedError): boolean {
  return error.code === 'EPERM' || /operation not permitted/i.test(error.message);
}

/** The remedy for an entry, or null when a plain fetch should do. */
export function remedyFor(source: ResolvedSource, reason: RecoveryReason, error: LoggedError | undefined, noHash: boolean): string | null {
  if (error) {
    if (isPermissionBlock(error) && mac(source)) return tccRemedy(source);
    if (error.code === 'EACCES') {
      return source.kind === 'robocopy'
        ? `access is denied on ${host(source)}: run the recovery script from an elevated PowerShell (or as the files' owner)`
        : `permission denied on ${host(source)}: fetch as a user who may read it`;
    }
    if (error.code === 'EBUSY') return `another program held it open on ${host(source)}: close it (Outlook, Excel, a sync client), then fetch again`;
    if (error.code === 'EDEADLK' || error.code === 'DATALESS') return cloudOnly(source);
    if (error.code === 'THROTTLED') return 'the cloud throttled the copy: fetch again later (rclone retries), or slow it down with --tpslimit 4';
    if (error.code === 'ENOENT') return `the origin no longer has it (the last transfer said: ${error.message.slice(0, 160)}); waive it (reconcile waive) if nobody needs it`;
  }
  if (reason === 'placeholder') {
    if (source.kind === 'robocopy') {
      return `OneDrive Files-On-Demand keeps it online-only on ${host(source)}: make it local first (right-click → Always keep on this device, or attrib +P), then run the script`;
    }
    if (source.kind === 'icloud' || (mac(source) && noHash)) return cloudOnly(source);
  }
  return null;
}

function cloudOnly(source: ResolvedSource): string {
  if (source.kind === 'icloud') {
    return `it is in iCloud only (evicted) on ${host(source)}: make it local first — Finder → Download Now, or brctl download PATH (the recovery script does it) — then fetch`;
  }
  if (mac(source)) {
    return `it is cloud-only (dataless) on ${host(source)}, so a copy fails with "Resource deadlock avoided": make it local first — Finder → right-click → Download Now or Always Keep on This Device — then fetch`;
  }
  return `it is cloud-only on ${host(source)}: make it local first, then fetch`;
}
