/**
 * `reconcile manifest DIR --out FILE`: an origin host describes a folder once (relative path,
 * size, mtime and optionally XXH128) so the server can check completeness without re-reading it.
 * Streams: gzip JSON lines, written as the walk goes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import { UserError } from '../config/index.ts';
import { EMPTY_XXH128, HashPool, type HashTask } from '../hash/index.ts';
import { walk, type WalkedEntry } from '../scan/index.ts';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type ManifestEntry, type ManifestHeader, type PathStyle } from './formats.ts';
import { manifestRoot } from './paths.ts';

export interface ManifestOptions {
  dir: string;
  out: string;
  hash?: boolean;
  /** Defaults to this platform's style; tests pass 'windows' to check the header. */
  pathStyle?: PathStyle;
  onProgress?(written: { entries: number; bytes: number }): void;
}

export interface ManifestSummary {
  out: string;
  root: string;
  pathStyle: PathStyle;
  entries: number;
  files: number;
  bytes: number;
  hashed: number;
  /** Entries left out, with why (vanished, unreadable). */
  skipped: { path: string; code: string }[];
}

export async function writeManifest(options: ManifestOptions): Promise<ManifestSummary> {
  const pathStyle = options.pathStyle ?? (process.platform === 'win32' ? 'windows' : 'posix');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(options.dir);
  } catch (error) {
    throw new UserError(`folder ${options.dir} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  if (!stat.isDirectory()) throw new UserError(`${options.dir} is not a folder`);
  // The walk uses this platform's path; the header names the folder in the manifest's style.
  const walkRoot = path.resolve(options.dir);
  const root = manifestRoot(options.dir, pathStyle);
  const header: ManifestHeader = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    host: os.hostname(),
    root,
    pathStyle,
    createdAt: new Date().toISOString(),
    hash: options.hash ? 'xxh128' : null,
  };
  const summary: ManifestSummary = { out: options.out, root, pathStyle, entries: 0, files: 0, bytes: 0, hashed: 0, skipped: [] };
  const gzip = zlib.createGzip({ level: 6 });
  const file = fs.createWriteStream(options.out);
  gzip.pipe(file);
  const writeLine = async (value: unknown) => {
    if (!gzip.write(`${JSON.stringify(value)}\n`)) await once(gzip, 'drain');
  };
  await writeLine(header);
  const line = (entry: WalkedEntry, xxh128?: string): ManifestEntry => {
    const text = entry.relPath.toString('utf8');
    return {
      path: text,
      // Names that are not valid UTF-8 keep their exact bytes.
      ...(Buffer.from(text).equals(entry.relPath) ? {} : { pathBytes: entry.relPath.toString('base64') }),
      type: entry.type,
      size: entry.type === 'file' ? Number(entry.stat.size) : 0,
      mtimeNs: entry.stat.mtimeNs.toString(),
      ...(xxh128 ? { xxh128 } : {}),
    };
  };
  const entries = walk(walkRoot, {
    boundary: walkRoot,
    onVanished: (problem) => summary.skipped.push({ path: problem.relPath.toString('utf8'), code: problem.code }),
  });
  const count = (entry: WalkedEntry) => {
    summary.entries++;
    if (entry.type === 'file') {
      summary.files++;
      summary.bytes += Number(entry.stat.size);
    }
    if (summary.entries % 1000 === 0) options.onProgress?.({ entries: summary.entries, bytes: summary.bytes });
  };
  if (!options.hash) {
    for (const entry of entries) {
      count(entry);
      await writeLine(line(entry));
    }
  } else {
    const pool = new HashPool();
    const waiting = new Map<number, WalkedEntry>();
    let nextId = 0;
    const pending: Promise<void>[] = [];
    async function* tasks(): AsyncGenerator<HashTask> {
      for (const entry of entries) {
        count(entry);
        if (entry.type !== 'file' || entry.stat.size === 0n) {
          if (entry.type === 'file') summary.hashed++;
          pending.push(writeLine(line(entry, entry.type === 'file' ? EMPTY_XXH128 : undefined)));
          continue;
        }
        const id = nextId++;
        waiting.set(id, entry);
        yield { id, path: entry.absPath, kind: 'full', size: entry.stat.size, dev: entry.stat.dev, ino: entry.stat.ino };
      }
    }
    try {
      await pool.run(tasks(), (results) => {
        for (const result of results) {
          const entry = waiting.get(result.id)!;
          waiting.delete(result.id);
          if (result.errorCode) {
            summary.skipped.push({ path: entry.relPath.toString('utf8'), code: result.errorCode });
            pending.push(writeLine(line(entry)));
            continue;
          }
          summary.hashed++;
          pending.push(writeLine(line(entry, result.full)));
        }
      });
      await Promise.all(pending);
    } finally {
      await pool.close();
    }
  }
  gzip.end();
  await finished(file);
  return summary;
}
