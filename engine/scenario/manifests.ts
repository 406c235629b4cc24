/**
 * Origin inventories in the two formats the catalog imports: the reconcile manifest (gzip JSON
 * lines: a header, then one entry per line) and `rclone lsjson -R --hash` output (a JSON array,
 * hashes as rclone prints them: lowercase hex, keys `sha1` and `quickxor`, QuickXorHash in hex too).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { OriginEntry } from './builder.ts';
import type { ScenarioSource } from './layout.ts';

const nanos = (seconds: number): string => (BigInt(seconds) * 1_000_000_000n).toString();
const rfc3339 = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', '.000000000Z');

/** Every folder above the entries, so the inventory lists directories like a real walk does. */
function folderEntries(entries: OriginEntry[]): string[] {
  const folders = new Set<string>();
  for (const entry of entries) {
    for (let dir = path.posix.dirname(entry.rel); dir !== '.'; dir = path.posix.dirname(dir)) folders.add(dir);
  }
  return [...folders];
}

const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function writeInventory(dir: string, source: ScenarioSource, entries: OriginEntry[], createdAtSec: number): void {
  const manifest = source.manifest;
  if (!manifest) return;
  const file = path.join(dir, manifest.file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sorted = [...entries].sort((a, b) => byPath(a.rel, b.rel));
  const folders = folderEntries(sorted).sort(byPath);
  const folderTime = createdAtSec - 86400;
  if (manifest.format === 'rclone-lsjson') {
    const items = [
      ...folders.map((rel) => ({
        Path: rel,
        Name: path.posix.basename(rel),
        Size: -1,
        MimeType: 'inode/directory',
        ModTime: rfc3339(folderTime),
        IsDir: true,
      })),
      ...sorted.map((entry) => ({
        Path: entry.rel,
        Name: path.posix.basename(entry.rel),
        Size: entry.size,
        MimeType: mimeType(entry.rel),
        ModTime: rfc3339(entry.mtimeSec),
        IsDir: false,
        Hashes: { ...(entry.quickxor ? { quickxor: entry.quickxor } : {}), ...(entry.sha1 ? { sha1: entry.sha1 } : {}) },
      })),
    ].sort((a, b) => byPath(a.Path, b.Path));
    // rclone prints one object per line inside the array.
    fs.writeFileSync(file, `[\n${items.map((item) => JSON.stringify(item)).join(',\n')}\n]\n`);
    return;
  }
  const lines = [
    JSON.stringify({
      format: 'reconcile-manifest',
      version: 1,
      host: source.host,
      root: source.origin,
      pathStyle: manifest.pathStyle,
      createdAt: new Date(createdAtSec * 1000).toISOString(),
    }),
    ...[
      ...folders.map((rel) => ({ path: rel, type: 'dir', size: 0, mtimeNs: nanos(folderTime) })),
      ...sorted.map((entry) => ({
        path: entry.rel,
        type: entry.type,
        size: entry.size,
        mtimeNs: nanos(entry.mtimeSec),
        ...(entry.xxh128 ? { xxh128: entry.xxh128 } : {}),
      })),
    ]
      .sort((a, b) => byPath(a.path, b.path))
      .map((line) => JSON.stringify(line)),
  ];
  fs.writeFileSync(file, zlib.gzipSync(`${lines.join('\n')}\n`, { level: 9 }));
}

const mimeTypes: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  png: 'image/png',
  jpg: 'image/jpeg',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  zip: 'application/zip',
};

function mimeType(rel: string): string {
  return mimeTypes[rel.slice(rel.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
}
