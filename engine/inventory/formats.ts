/**
 * The two origin-inventory formats, validated line by line with zod:
 * - reconcile manifest: gzip JSON lines; line 1 a header, then one entry per line. Version 1 has
 *   XXH128 only; version 2 (written by `reconcile manifest`, the single-file tool and the Windows
 *   script) adds optional `sha1`, Windows `attrs` and an `error` for what could not be read;
 * - `rclone lsjson -R --hash`: a JSON array printed one object per line.
 */
import { z } from 'zod';

export const MANIFEST_FORMAT = 'reconcile-manifest';
/** The version this release writes; the importer reads every version up to it. */
export const MANIFEST_VERSION = 2;

export const pathStyleSchema = z.enum(['posix', 'windows']);
export type PathStyle = z.infer<typeof pathStyleSchema>;

export const manifestHeaderSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.union([z.literal(1), z.literal(MANIFEST_VERSION)]),
  host: z.string().min(1),
  /** The walked folder as its host names it (`/Users/miket/dev/`, `C:\Users\mike\MDT\`). */
  root: z.string().min(1),
  pathStyle: pathStyleSchema,
  createdAt: z.string().datetime({ offset: true }),
  /** Hash kind carried by entries, when the manifest was made with --hash (sha1: the Windows script, version 2). */
  hash: z.enum(['xxh128', 'sha1']).nullish(),
  /** What wrote it (`reconcile-manifest 0.1.0`, `reconcile-manifest.ps1 0.1.0`), version 2. */
  generator: z.string().min(1).optional(),
});
export type ManifestHeader = z.infer<typeof manifestHeaderSchema>;

const relativePath = z
  .string()
  .min(1)
  .refine((value) => !value.startsWith('/') && !value.split('/').includes('..'), 'must be a relative path without ..')
  .refine((value) => !value.includes('\0'), 'must not contain NUL');

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${length}}$`), `must be ${length} hex digits`);

const manifestEntryV1Schema = z.object({
  path: relativePath,
  /** Base64 of the exact name bytes, present only when the name is not valid UTF-8. */
  pathBytes: z.string().base64().optional(),
  type: z.enum(['file', 'dir', 'symlink', 'other']),
  size: z.number().int().nonnegative(),
  /** Nanoseconds since the epoch, as a decimal string (too large for a JSON number). */
  mtimeNs: z.string().regex(/^-?\d+$/, 'must be an integer string of nanoseconds'),
  xxh128: hex(32).optional(),
});

const manifestEntryV2Schema = manifestEntryV1Schema.extend({
  sha1: hex(40).optional(),
  /** Windows file attributes (FILE_ATTRIBUTE_* bits) as the origin reported them; see windowsAttributes. */
  attrs: z.number().int().nonnegative().max(0xffffffff).optional(),
  /** Why the entry could not be read there (a folder not listed: its content is unknown; a file not hashed). */
  error: z.string().regex(/^[A-Za-z0-9_]{1,32}$/, 'must be an error code such as EPERM').optional(),
});

/** Entry lines by the header's version. */
export const manifestEntrySchemas = { 1: manifestEntryV1Schema, 2: manifestEntryV2Schema } as const;
export type ManifestEntry = z.infer<typeof manifestEntryV2Schema>;

/**
 * The Windows attributes that tell a OneDrive Files-On-Demand (cloud files API) placeholder
 * (winnt.h FILE_ATTRIBUTE_*): a file with Offline, RecallOnOpen or RecallOnDataAccess set has no
 * local content — reading it would download it, a copy of it made without downloading is empty.
 */
export const windowsAttributes = {
  readOnly: 0x1,
  hidden: 0x2,
  system: 0x4,
  directory: 0x10,
  archive: 0x20,
  reparsePoint: 0x400,
  offline: 0x1000,
  recallOnOpen: 0x40000,
  /** "Always keep on this device". */
  pinned: 0x80000,
  /** "Free up space": the content may be dropped at any time. */
  unpinned: 0x100000,
  recallOnDataAccess: 0x400000,
} as const;

const CLOUD_ONLY = windowsAttributes.offline | windowsAttributes.recallOnOpen | windowsAttributes.recallOnDataAccess;

/** Whether the attributes mark a file whose content is only in the cloud. */
export function isCloudOnly(attrs: number | null | undefined): boolean {
  return attrs !== null && attrs !== undefined && (attrs & CLOUD_ONLY) !== 0;
}

/** The attribute names set in `attrs` (those of windowsAttributes), for evidence people read. */
export function attributeNames(attrs: number): string[] {
  return Object.entries(windowsAttributes)
    .filter(([, bit]) => (attrs & bit) !== 0)
    .map(([name]) => name);
}

export const rcloneEntrySchema = z.object({
  Path: relativePath,
  Name: z.string(),
  Size: z.number().int(),
  ModTime: z.string().min(1),
  IsDir: z.boolean(),
  MimeType: z.string().optional(),
  ID: z.string().optional(),
  Hashes: z.record(z.string(), z.string()).optional(),
});
export type RcloneEntry = z.infer<typeof rcloneEntrySchema>;

/** RFC 3339 with up to nanosecond fractions (rclone's ModTime) → nanoseconds since the epoch. */
export function rfc3339ToNs(text: string): bigint | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** Hashes are stored as lowercase hex; OneDrive's API (and some tools) print QuickXorHash as base64. */
export function normaliseDigest(kind: string, value: string): string {
  const bytes = kind === 'quickxor' ? 20 : kind === 'sha1' ? 20 : kind === 'md5' ? 16 : kind === 'xxh128' ? 16 : 0;
  if (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(value)) return value.toLowerCase();
  const decoded = Buffer.from(value, 'base64');
  if (bytes > 0 && decoded.length === bytes && /^[A-Za-z0-9+/]+=*$/.test(value)) return decoded.toString('hex');
  return value.toLowerCase();
}
