/**
 * Origin manifests in the browser: what a source's latest inventory is, and a manifest uploaded
 * for it — streamed to the data folder under a size cap (never held in memory), imported (every
 * line validated by the engine's importer) and audited.
 */
import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { importSourceFile } from '../../engine/catalog/index.ts';
import { isUserError } from '../../engine/config/index.ts';
import type { Actor } from '../auth/actor.ts';
import { ApiError } from '../api/respond.ts';
import { serverConfig } from '../config.ts';
import { engineDb } from '../db.ts';
import { formatBytes } from '../../engine/format.ts';

export interface InventoryInfo {
  id: number;
  format: string;
  file: string;
  host: string | null;
  origin: string | null;
  entries: number;
  hashKinds: string[];
  importedAt: string;
}

/** The inventory classification uses for a source (its latest), or null. */
export function latestInventory(sourceId: string): InventoryInfo | null {
  const row = engineDb()
    .prepare('SELECT id, format, file, host, origin, entryCount, hashKinds, importedAt FROM Inventory WHERE sourceId = ? ORDER BY id DESC LIMIT 1')
    .get(sourceId) as (Omit<InventoryInfo, 'entries' | 'hashKinds'> & { entryCount: number; hashKinds: string }) | undefined;
  if (!row) return null;
  const { entryCount, hashKinds, ...rest } = row;
  return { ...rest, entries: entryCount, hashKinds: JSON.parse(hashKinds) as string[] };
}

export interface UploadResult {
  sourceId: string;
  inventoryId: number;
  format: string;
  entries: number;
  hashKinds: string[];
  alreadyImported: boolean;
  bytes: number;
  /** Of the bytes received: the owner compares it with what the tool printed on the origin host. */
  sha256: string;
}

/** Receives a manifest for a configured source, imports it and records who did. */
export async function receiveManifest(options: { sourceId: string; request: Request; actor: Actor }): Promise<UploadResult> {
  const config = serverConfig();
  const source = config.sources.find((candidate) => candidate.id === options.sourceId);
  if (!source) throw new ApiError('not_found', `no source ${options.sourceId} in the config`);
  const type = options.request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/gzip' && type !== 'application/octet-stream') {
    throw new ApiError('bad_request', 'send the manifest file itself as the body (content-type application/gzip or application/octet-stream)');
  }
  const cap = config.env.RECONCILE_MANIFEST_UPLOAD_MAX_BYTES;
  const declared = Number(options.request.headers.get('content-length') ?? NaN);
  if (declared > cap) throw tooLarge(cap);
  if (!options.request.body) throw new ApiError('bad_request', 'the body is empty');

  const folder = path.join(config.dataDir, 'manifests', 'uploads');
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${options.sourceId}-${new Date().toISOString().replaceAll(':', '')}.jsonl.gz`);
  const partial = `${file}.partial`;
  const sha256 = crypto.createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > cap) return done(tooLarge(cap));
      sha256.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(options.request.body as WebReadableStream<Uint8Array>), meter, fs.createWriteStream(partial, { flags: 'wx' }));
    if (bytes === 0) throw new ApiError('bad_request', 'the body is empty');
    fs.renameSync(partial, file);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error instanceof ApiError ? error : new ApiError('bad_request', `the upload did not arrive whole (${(error as Error).message})`);
  }

  let summary;
  try {
    summary = await importSourceFile(engineDb(), config, options.sourceId, file);
  } catch (error) {
    fs.rmSync(file, { force: true });
    if (isUserError(error)) throw new ApiError('bad_request', (error as Error).message.replaceAll(file, 'the upload'));
    throw error;
  }
  // The same bytes imported before: the earlier copy is the one on record.
  if (summary.alreadyImported) fs.rmSync(file, { force: true });
  const result: UploadResult = {
    sourceId: options.sourceId,
    inventoryId: summary.inventoryId,
    format: summary.format,
    entries: summary.entries,
    hashKinds: summary.hashKinds,
    alreadyImported: summary.alreadyImported,
    bytes,
    sha256: sha256.digest('hex'),
  };
  engineDb()
    .prepare('INSERT INTO AuditEvent (at, actor, action, targetType, targetId, detailsJson) VALUES (?, ?, ?, ?, ?, ?)')
    .run(new Date().toISOString(), options.actor.email, 'inventory.uploaded', 'source', options.sourceId, JSON.stringify({ ...result, file: summary.alreadyImported ? null : file }));
  return result;
}

function tooLarge(cap: number): ApiError {
  return new ApiError('payload_too_large', `the manifest is larger than the upload limit of ${formatBytes(cap)} (RECONCILE_MANIFEST_UPLOAD_MAX_BYTES); copy it to the server and run reconcile import instead`);
}
