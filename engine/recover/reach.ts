/**
 * Where this server reads an origin from, for `recover --fetch` and the commands it prints: over
 * ssh (`host:/path/`, rsync), an rclone remote (`remote:path`), or a local or mounted folder.
 */
import path from 'node:path';
import { UserError, type Config, type ResolvedSource } from '../config/index.ts';

export type Reach =
  | { kind: 'ssh'; host: string; path: string; spec: string }
  | { kind: 'rclone'; spec: string }
  | { kind: 'local'; path: string; spec: string };

/** A colon before the first slash names a remote, as rsync reads its arguments. */
function isRemote(spec: string): boolean {
  const colon = spec.indexOf(':');
  const slash = spec.indexOf('/');
  return colon >= 0 && (slash < 0 || colon < slash);
}

/** The configured `reach`, else the default for the source's kind; null when the server cannot reach it. */
export function reachOf(config: Config, source: ResolvedSource): Reach | null {
  const spec = source.reach ?? defaultReach(source);
  if (spec === undefined) return null;
  if (/^[A-Za-z]:\\|^\\\\/.test(spec)) {
    throw new UserError(`source ${source.id}: reach ${spec} is a Windows path; mount the share on this server and give the mount point, or leave reach unset`);
  }
  if (source.kind === 'rclone') {
    if (isRemote(spec)) return { kind: 'rclone', spec };
    const folder = path.resolve(config.file ? path.dirname(config.file) : process.cwd(), spec);
    return { kind: 'local', path: folder, spec: `:local:${folder}` };
  }
  if (isRemote(spec)) {
    const colon = spec.indexOf(':');
    return { kind: 'ssh', host: spec.slice(0, colon), path: spec.slice(colon + 1), spec };
  }
  const folder = path.resolve(config.file ? path.dirname(config.file) : process.cwd(), spec);
  return { kind: 'local', path: folder, spec: folder };
}

function defaultReach(source: ResolvedSource): string | undefined {
  if (source.kind === 'rclone') return source.origin ?? source.remote;
  if ((source.kind === 'rsync' || source.kind === 'icloud') && source.host && source.origin?.startsWith('/')) return `${source.host}:${source.origin}`;
  return undefined;
}

/** A folder argument for rsync: a trailing slash copies what is inside, not the folder itself. */
export function withSlash(folder: string): string {
  return folder.endsWith('/') ? folder : `${folder}/`;
}
