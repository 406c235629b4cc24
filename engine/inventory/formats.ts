/**
 * The two origin-inventory formats, validated line by line with zod:
 * - reconcile manifest: gzip JSON lines; line 1 a header, then one entry per line;
 * - `rclone lsjson -R --hash`: a JSON array printed one object per line.
 */
import { z } from 'zod';

export const MANIFEST_FORMAT = 'reconcile-manifest';
export const MANIFEST_VERSION = 1;

export const pathStyleSchema = z.enum(['posix', 'windows']);
export type PathStyle = z.infer<typeof pathStyleSchema>;

export const manifestHeaderSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(MANIFEST_VERSION),
  host: z.string().min(1),
  /** The walked folder as its host names it (`/Users/miket/dev/`, `C:\Users\mike\MDT\`). */
  root: z.string().min(1),
  pathStyle: pathStyleSchema,
  createdAt: z.string().datetime({ offset: true }),
  /** Hash kind carried by entries, when the manifest was made with --hash. */
  hash: z.literal('xxh128').nullish(),
});
export type ManifestHeader = z.infer<typeof manifestHeaderSchema>;

const relativePath = z
  .string()
  .min(1)
  .refine((value) => !value.startsWith('/') && !value.split('/').includes('..'), 'must be a relative path without ..')
  .refine((value) => !value.includes('\0'), 'must not contain NUL');

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${length}}$`), `must be ${length} hex digits`);

export const manifestEntrySchema = z.object({
  path: relativePath,
  /** Base64 of the exact name bytes, present only when the name is not valid UTF-8. */
  pathBytes: z.string().base64().optional(),
  type: z.enum(['file', 'dir', 'symlink', 'other']),
  size: z.number().int().nonnegative(),
  /** Nanoseconds since the epoch, as a decimal string (too large for a JSON number). */
  mtimeNs: z.string().regex(/^-?\d+$/, 'must be an integer string of nanoseconds'),
  xxh128: hex(32).optional(),
});
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

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
