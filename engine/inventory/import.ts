/**
 * Loads an origin inventory (a reconcile manifest or `rclone lsjson -R --hash` output) into
 * Inventory + OriginEntry. Streams the file, validates every line (a bad line names file:line and
 * nothing is imported), and treats the same file imported twice as a no-op.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import xxhash from 'xxhash-addon';
import { describeIssues, UserError } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import {
  manifestEntrySchemas,
  manifestHeaderSchema,
  normaliseDigest,
  rcloneEntrySchema,
  rfc3339ToNs,
  type ManifestEntry,
  type ManifestHeader,
} from './formats.ts';
import { decodeRcloneName, nameKeys, originPathOf } from './paths.ts';
import type { z } from 'zod';

export interface InventorySource {
  id: string;
  host?: string;
  origin?: string;
  /** rclone remote (`m365:`): origin paths of cloud entries are `remote + path`. */
  remote?: string;
}

export interface ImportSummary {
  inventoryId: number;
  sourceId: string;
  file: string;
  format: 'reconcile-manifest' | 'rclone-lsjson';
  entries: number;
  hashKinds: string[];
  /** True when this exact file was imported for this source before (nothing was written). */
  alreadyImported: boolean;
}

interface OriginRow {
  relPath: string;
  originPath: string;
  isDir: boolean;
  size: number;
  mtimeNs: bigint | null;
  xxh128: string | null;
  sha1: string | null;
  md5: string | null;
  quickxor: string | null;
  /** Windows attributes the origin reported (manifest version 2). */
  attrs: number | null;
  /** Why the origin could not read it (manifest version 2): a folder not listed, a file not hashed. */
  errorCode: string | null;
}

export async function importInventory(db: Db, source: InventorySource, file: string): Promise<ImportSummary> {
  if (!db.prepare('SELECT 1 FROM Source WHERE id = ?').get(source.id)) {
    throw new UserError(`unknown source ${source.id}: declare it in the config (or scan it) before importing its inventory`);
  }
  const fileHash = await hashFile(file);
  const existing = db.prepare('SELECT id, format, entryCount, hashKinds FROM Inventory WHERE sourceId = ? AND fileHash = ?').get(source.id, fileHash) as
    | { id: number; format: ImportSummary['format']; entryCount: number; hashKinds: string }
    | undefined;
  if (existing) {
    return { inventoryId: existing.id, sourceId: source.id, file, format: existing.format, entries: existing.entryCount, hashKinds: JSON.parse(existing.hashKinds), alreadyImported: true };
  }
  const lines = readline.createInterface({ input: await openText(file), crlfDelay: Infinity });
  const insertEntry = db.prepare(
    `INSERT INTO OriginEntry (inventoryId, sourceId, relPath, originPath, nfcKey, foldKey, isDir, size, mtimeNs, xxh128, sha1, md5, quickxor, attrs, errorCode)
     VALUES (@inventoryId, @sourceId, @relPath, @originPath, @nfcKey, @foldKey, @isDir, @size, @mtimeNs, @xxh128, @sha1, @md5, @quickxor, @attrs, @errorCode)`,
  );
  const hashKinds = new Set<string>();
  let inventoryId = 0;
  let format: ImportSummary['format'] | undefined;
  let header: ManifestHeader | undefined;
  let entries = 0;
  let lineNo = 0;
  const fail = (message: string): never => {
    throw new UserError(`${file}:${lineNo}: ${message}`);
  };
  const parse = <T extends z.ZodType>(schema: T, text: string): z.infer<T> => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return fail(`not valid JSON (${(error as Error).message})`);
    }
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : fail(describeIssues(parsed.error));
  };
  const createInventory = (host: string | undefined, origin: string | undefined) => {
    inventoryId = Number(
      db
        .prepare('INSERT INTO Inventory (sourceId, format, file, fileHash, host, origin, importedAt) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(source.id, format, file, fileHash, host ?? null, origin ?? null, new Date().toISOString()).lastInsertRowid,
    );
  };
  const add = (row: OriginRow) => {
    for (const kind of ['xxh128', 'sha1', 'md5', 'quickxor'] as const) if (row[kind]) hashKinds.add(kind);
    insertEntry.run({ ...row, ...nameKeys(row.relPath), isDir: row.isDir ? 1 : 0, inventoryId, sourceId: source.id });
    entries++;
  };
  db.exec('BEGIN IMMEDIATE');
  try {
    for await (const rawLine of lines) {
      lineNo++;
      const text = rawLine.trim();
      if (format === undefined) {
        if (text === '') continue;
        if (text.startsWith('[')) {
          format = 'rclone-lsjson';
          createInventory(source.host, source.remote ?? source.origin);
          const rest = text.slice(1).trim();
          if (rest !== '' && rest !== ']') fail('expected one object per line after "[" (the layout rclone lsjson prints)');
          continue;
        }
        if (!text.startsWith('{')) fail('not a reconcile manifest (JSON lines) nor rclone lsjson output (a JSON array)');
        format = 'reconcile-manifest';
        header = parse(manifestHeaderSchema, text);
        createInventory(header.host, header.root);
        continue;
      }
      if (text === '' || text === ']') continue;
      if (format === 'rclone-lsjson') {
        const entry = parse(rcloneEntrySchema, text.endsWith(',') ? text.slice(0, -1) : text);
        const digest = (kind: string) => {
          const value = entry.Hashes?.[kind];
          return value ? normaliseDigest(kind, value) : null;
        };
        const base = source.remote ?? source.origin ?? '';
        const relPath = decodeRcloneName(entry.Path);
        add({
          relPath,
          originPath: base === '' ? relPath : originPathOf(base, relPath, 'posix'),
          isDir: entry.IsDir,
          size: entry.IsDir ? 0 : Math.max(0, entry.Size),
          mtimeNs: rfc3339ToNs(entry.ModTime) ?? fail(`ModTime ${JSON.stringify(entry.ModTime)} is not an RFC 3339 time`),
          xxh128: digest('xxh128'),
          sha1: digest('sha1'),
          md5: digest('md5'),
          quickxor: digest('quickxor'),
          attrs: null,
          errorCode: null,
        });
      } else {
        const entry: ManifestEntry = parse(manifestEntrySchemas[header!.version], text);
        add({
          relPath: entry.path,
          originPath: originPathOf(header!.root, entry.path, header!.pathStyle),
          isDir: entry.type === 'dir',
          size: entry.size,
          mtimeNs: withinInt64(BigInt(entry.mtimeNs)),
          xxh128: entry.xxh128?.toLowerCase() ?? null,
          sha1: entry.sha1?.toLowerCase() ?? null,
          md5: null,
          quickxor: null,
          attrs: entry.attrs ?? null,
          errorCode: entry.error ?? null,
        });
      }
    }
    if (format === undefined) fail('the file is empty');
    db.prepare('UPDATE Inventory SET entryCount = ?, hashKinds = ? WHERE id = ?').run(entries, JSON.stringify([...hashKinds].sort()), inventoryId);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    const code = (error as NodeJS.ErrnoException).code;
    if (code?.startsWith('Z_')) throw new UserError(`inventory ${file}: broken gzip data (${(error as Error).message})`);
    throw error;
  } finally {
    lines.close();
  }
  return { inventoryId, sourceId: source.id, file, format: format!, entries, hashKinds: [...hashKinds].sort(), alreadyImported: false };
}

/** A time outside SQLite's 64-bit integers (a Windows file stamped 1601-01-01) is kept as unknown. */
function withinInt64(ns: bigint): bigint | null {
  return ns >= -(2n ** 63n) && ns < 2n ** 63n ? ns : null;
}

/** The file as text, gunzipped when it starts with the gzip magic bytes. */
async function openText(file: string): Promise<NodeJS.ReadableStream> {
  const handle = await fs.promises.open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`inventory ${file} cannot be read (${error.code})`);
  });
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0);
  const stream = handle.createReadStream({ start: 0 });
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) return stream;
  return stream.pipe(zlib.createGunzip());
}

async function hashFile(file: string): Promise<string> {
  const hasher = new xxhash.XXHash128(Buffer.alloc(8));
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hasher.update(chunk as Buffer);
  } catch (error) {
    throw new UserError(`inventory ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  return hasher.digest().toString('hex');
}
