/**
 * Files the server hands to the origin hosts (the Mac, the Windows PC) to run there: the
 * single-file manifest tool, the Windows manifest script — and whatever else is added to
 * `originFiles` below (the recovery loop's scripts). Each comes with its SHA-256, so the owner can
 * check what arrived, and with the exact command to run for a given source.
 *
 * Adding a file: write an OriginFileSpec (a release file by path, or bytes made for the source) and
 * list it in `originFiles`. The source page and GET /api/origin-files/<name> pick it up.
 */
import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ResolvedSource } from '../../engine/config/index.ts';
import { projectRoot } from '../../engine/project.ts';
import { ApiError } from '../api/respond.ts';
import { serverConfig } from '../config.ts';

/** What kind of host runs a source's origin tools: the Mac (or any POSIX host with Node), or Windows. */
export type OriginPlatform = 'posix' | 'windows';

export interface OriginFileSpec {
  /** The file name as downloaded, and its address: /api/origin-files/<name>. */
  name: string;
  title: string;
  /** One or two sentences for the page: what it does, what the host needs. */
  description: string;
  /** The host it is meant for; the page lists it first for sources of that platform. */
  platform: OriginPlatform;
  contentType: string;
  /** A file of the release (relative to the project root), or bytes made for one source. */
  body: { file: string } | { render(source: ResolvedSource): string | Buffer };
  /** The exact command for this source, run in the folder holding the download; null: not for this source. */
  command(source: ResolvedSource): string | null;
  /** How to check the download's SHA-256 on its host. */
  verify: string;
}

export interface OriginFileOffer {
  name: string;
  title: string;
  description: string;
  platform: OriginPlatform;
  bytes: number;
  sha256: string;
  command: string;
  verify: string;
  /** Meant for this source's platform. */
  recommended: boolean;
}

/** Where a source's origin lives: null for cloud remotes (listed by `rclone lsjson` on the server). */
export function originPlatform(source: Pick<ResolvedSource, 'origin' | 'kind' | 'remote'>): OriginPlatform | null {
  if (source.remote || source.kind === 'rclone') return null;
  if (source.origin) return /^[A-Za-z]:[\\/]|^\\\\/.test(source.origin) ? 'windows' : 'posix';
  return source.kind === 'robocopy' ? 'windows' : 'posix';
}

/** The manifest file each tool writes for a source; its name says which source it is for. */
export function manifestFileName(source: Pick<ResolvedSource, 'id'>): string {
  return `${source.id}.jsonl.gz`;
}

/** Folders whose files may be cloud-only on a Mac (reading them would download them): no --hash there. */
function cloudFolder(source: ResolvedSource): boolean {
  return source.kind === 'icloud' || /\/Library\/(CloudStorage|Mobile Documents)\//.test(source.origin ?? '');
}

const posixQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
const powershellQuote = (value: string) => `'${value.replaceAll("'", "''")}'`;
/** A Windows folder without its trailing backslash (`"C:\Users\"` would escape the quote), except a drive root. */
const windowsFolder = (value: string) => (/^[A-Za-z]:\\$/.test(value) ? value : value.replace(/\\+$/, ''));

/** The folder to describe, as its host names it (the origin root; the landing's name when none is configured). */
function originFolder(source: ResolvedSource): string {
  return source.origin ?? (originPlatform(source) === 'windows' ? `C:\\Users\\${path.basename(source.landing)}` : `~/${path.basename(source.landing)}`);
}

export const originFiles: OriginFileSpec[] = [
  {
    name: 'reconcile-manifest.mjs',
    title: 'Manifest tool (one file, Node 18 or later)',
    description:
      'reconcile manifest as a single file: lists the folder with sizes, times and XXH128 hashes. Needs only Node.js (on a Mac: the installer from nodejs.org, or brew install node); nothing else to install.',
    platform: 'posix',
    contentType: 'text/javascript; charset=utf-8',
    body: { file: 'dist/tools/reconcile-manifest.mjs' },
    command(source) {
      const platform = originPlatform(source);
      if (!platform) return null;
      const folder = platform === 'windows' ? `"${windowsFolder(originFolder(source))}"` : posixQuote(originFolder(source));
      return `node reconcile-manifest.mjs ${folder}${cloudFolder(source) ? '' : ' --hash'} --out ${manifestFileName(source)}`;
    },
    verify: 'shasum -a 256 reconcile-manifest.mjs',
  },
  {
    name: 'reconcile-manifest.ps1',
    title: 'Manifest script for Windows (PowerShell, nothing to install)',
    description:
      'Lists the folder with sizes, times, SHA-1 hashes and the attributes that mark OneDrive cloud-only files, which it never reads. Runs in the Windows PowerShell every Windows 10 and 11 has.',
    platform: 'windows',
    contentType: 'text/plain; charset=utf-8',
    body: { file: 'deploy/origin/reconcile-manifest.ps1' },
    command(source) {
      if (originPlatform(source) !== 'windows') return null;
      return `powershell -ExecutionPolicy Bypass -File .\\reconcile-manifest.ps1 -Path ${powershellQuote(windowsFolder(originFolder(source)))} -Out ${manifestFileName(source)} -Sha1`;
    },
    verify: 'Get-FileHash .\\reconcile-manifest.ps1 -Algorithm SHA256',
  },
];

/** The files offered for a source, the ones for its platform first. */
export function originFileOffers(source: ResolvedSource): OriginFileOffer[] {
  const platform = originPlatform(source);
  return originFiles
    .map((spec) => ({ spec, command: spec.command(source) }))
    .filter((offer): offer is { spec: OriginFileSpec; command: string } => offer.command !== null)
    .map(({ spec, command }) => {
      const bytes = contents(spec, source);
      return {
        name: spec.name,
        title: spec.title,
        description: spec.description,
        platform: spec.platform,
        bytes: bytes.size,
        sha256: bytes.sha256,
        command,
        verify: spec.verify,
        recommended: spec.platform === platform,
      };
    })
    .sort((a, b) => Number(b.recommended) - Number(a.recommended));
}

/** The download: the file's bytes with its SHA-256 in a Digest header (RFC 9530 Repr-Digest). */
export function originFileResponse(name: string, sourceId: string | undefined): Response {
  const spec = originFiles.find((candidate) => candidate.name === name);
  if (!spec) throw new ApiError('not_found', `no origin file named ${name}`);
  const source = sourceId === undefined ? undefined : serverConfig().sources.find((candidate) => candidate.id === sourceId);
  if (sourceId !== undefined && !source) throw new ApiError('not_found', `no source ${sourceId} in the config`);
  if ('render' in spec.body && !source) throw new ApiError('bad_request', `${name} is made for a source: add ?source=<id>`);
  const bytes = contents(spec, source);
  const headers = {
    'content-type': spec.contentType,
    'content-length': String(bytes.size),
    'content-disposition': `attachment; filename="${spec.name}"`,
    'repr-digest': `sha-256=:${Buffer.from(bytes.sha256, 'hex').toString('base64')}:`,
    'cache-control': 'no-store',
  };
  const body = bytes.buffer ? new Uint8Array(bytes.buffer) : (Readable.toWeb(fs.createReadStream(/*turbopackIgnore: true*/ bytes.file!)) as ReadableStream<Uint8Array>);
  return new Response(body, { headers });
}

interface Contents {
  size: number;
  sha256: string;
  /** Made for a source: held in memory (small scripts). */
  buffer?: Buffer;
  /** A release file: streamed from disk. */
  file?: string;
}

/** SHA-256 of release files, by path, size and mtime: computed once per build of the file. */
const releaseDigests = new Map<string, { key: string; sha256: string }>();

function contents(spec: OriginFileSpec, source: ResolvedSource | undefined): Contents {
  if ('render' in spec.body) {
    const rendered = spec.body.render(source!);
    const buffer = Buffer.isBuffer(rendered) ? rendered : Buffer.from(rendered, 'utf8');
    return { size: buffer.length, sha256: crypto.createHash('sha256').update(buffer).digest('hex'), buffer };
  }
  // A release file, found at run time: the web build must not trace it.
  const file = path.join(/*turbopackIgnore: true*/ projectRoot(), spec.body.file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(/*turbopackIgnore: true*/ file);
  } catch {
    throw new ApiError('not_found', `${spec.name} is not built on this server (npm run build writes ${spec.body.file})`);
  }
  const key = `${stat.size}:${stat.mtimeMs}`;
  let digest = releaseDigests.get(file);
  if (digest?.key !== key) {
    digest = { key, sha256: crypto.createHash('sha256').update(fs.readFileSync(/*turbopackIgnore: true*/ file)).digest('hex') };
    releaseDigests.set(file, digest);
  }
  return { size: stat.size, sha256: digest.sha256, file };
}
