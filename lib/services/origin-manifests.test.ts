// Origin files and manifest uploads, through the web app's services on a real catalog: the
// registry's commands and checksums, and an upload streamed to disk under its cap, validated,
// imported for its source and audited.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { SpaceFixture } from '../../test/plan/fixture.ts';
import { repoRoot } from '../../test/helpers.ts';
import type { ApiError } from '../api/respond.ts';

vi.mock('server-only', () => ({}));

// The web app reads its database and config through the (cached) environment: set it first.
const fixture = new SpaceFixture();
process.env.RECONCILE_DATA_DIR = fixture.dataDir;
process.env.RECONCILE_CONFIG = path.join(fixture.dir, 'reconcile.yaml');
process.env.RECONCILE_MANIFEST_UPLOAD_MAX_BYTES = String(64 * 1024);
fixture.configure({
  sources: [
    { id: 'count-zero-dev', kind: 'rsync', class: 'local', host: 'count-zero', landing: 'mike/dev', origin: "/Users/miket/dev/it's mine/" },
    { id: 'count-zero-icloud', kind: 'icloud', class: 'cloud', host: 'count-zero', landing: 'mike/icloud', origin: '/Users/miket/Library/Mobile Documents/com~apple~CloudDocs/' },
    { id: 'wintermute-mdt', kind: 'robocopy', class: 'local', host: 'wintermute', landing: 'inbox/wm', origin: 'C:\\Users\\mike\\MDT\\' },
    { id: 'm365', kind: 'rclone', class: 'cloud', landing: 'cloud', origin: 'm365:', remote: 'm365:' },
  ],
});
const { originFileOffers, originFileResponse } = await import('./origin-files.ts');
const { latestInventory, receiveManifest } = await import('./origin-manifests.ts');
const { serverConfig } = await import('../config.ts');
const { engineDb } = await import('../db.ts');

const source = (id: string) => serverConfig().sources.find((candidate) => candidate.id === id)!;
const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');
const actor = { id: 'oid-operator', email: 'operator@example.test', name: 'Otto Operator', roles: ['operator' as const], mode: 'entra' as const };

function manifest(entries: number, extra: string[] = []): Buffer {
  const header = { format: 'reconcile-manifest', version: 2, host: 'count-zero', root: '/Users/miket/dev', pathStyle: 'posix', createdAt: '2026-12-03T10:00:00.000Z', hash: 'xxh128' };
  const lines = [JSON.stringify(header), ...Array.from({ length: entries }, (_, i) => JSON.stringify({ path: `notes/${i}.txt`, type: 'file', size: i, mtimeNs: '1764756000000000000', xxh128: crypto.createHash('md5').update(String(i)).digest('hex') })), ...extra];
  return zlib.gzipSync(`${lines.join('\n')}\n`);
}

/** A request whose body arrives in small chunks, with no content-length (as a browser may stream it). */
function upload(bytes: Buffer, type = 'application/gzip'): Request {
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + 4096)));
      offset += 4096;
    },
  });
  return new Request('http://127.0.0.1/api/uploads/manifests/x', { method: 'POST', body, headers: { 'content-type': type }, duplex: 'half' } as RequestInit);
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = (await promise.then(() => undefined, (caught: unknown) => caught)) as ApiError | undefined;
  expect(error, 'expected a refusal').toBeDefined();
  return { code: error!.code, message: error!.message };
}

const uploads = () => (fs.existsSync(path.join(fixture.dataDir, 'manifests/uploads')) ? fs.readdirSync(path.join(fixture.dataDir, 'manifests/uploads')) : []);

describe('origin files', () => {
  it('offers the tool and the script with their SHA-256 and the exact command for each source', () => {
    const tool = fs.readFileSync(path.join(repoRoot, 'dist/tools/reconcile-manifest.mjs'));
    const script = fs.readFileSync(path.join(repoRoot, 'deploy/origin/reconcile-manifest.ps1'));
    const mac = originFileOffers(source('count-zero-dev'));
    expect(mac.map((offer) => [offer.name, offer.recommended, offer.sha256, offer.bytes])).toEqual([['reconcile-manifest.mjs', true, sha256(tool), tool.length]]);
    expect(mac[0]!.command).toBe("node reconcile-manifest.mjs '/Users/miket/dev/it'\\''s mine/' --hash --out count-zero-dev.jsonl.gz");
    // Cloud folders on the Mac: no --hash (reading a cloud-only file downloads it).
    expect(originFileOffers(source('count-zero-icloud'))[0]!.command).toBe(
      "node reconcile-manifest.mjs '/Users/miket/Library/Mobile Documents/com~apple~CloudDocs/' --out count-zero-icloud.jsonl.gz",
    );
    const windows = originFileOffers(source('wintermute-mdt'));
    expect(windows.map((offer) => [offer.name, offer.recommended, offer.sha256])).toEqual([
      ['reconcile-manifest.ps1', true, sha256(script)],
      ['reconcile-manifest.mjs', false, sha256(tool)],
    ]);
    expect(windows[0]!.command).toBe("powershell -ExecutionPolicy Bypass -File .\\reconcile-manifest.ps1 -Path 'C:\\Users\\mike\\MDT' -Out wintermute-mdt.jsonl.gz -Sha1");
    expect(windows[1]!.command).toBe('node reconcile-manifest.mjs "C:\\Users\\mike\\MDT" --hash --out wintermute-mdt.jsonl.gz');
    expect(originFileOffers(source('m365'))).toEqual([]);
  });

  it('serves a file with its SHA-256 in Repr-Digest', async () => {
    const response = originFileResponse('reconcile-manifest.ps1', 'wintermute-mdt');
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(fs.readFileSync(path.join(repoRoot, 'deploy/origin/reconcile-manifest.ps1')))).toBe(true);
    expect(response.headers.get('repr-digest')).toBe(`sha-256=:${crypto.createHash('sha256').update(body).digest('base64')}:`);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="reconcile-manifest.ps1"');
    expect(() => originFileResponse('../package.json', undefined)).toThrow(/no origin file/);
  });
});

describe('manifest upload', () => {
  it('streams the file to disk, imports it for its source and records who did', async () => {
    const bytes = manifest(50);
    const result = await receiveManifest({ sourceId: 'count-zero-dev', request: upload(bytes), actor });
    expect(result).toMatchObject({ sourceId: 'count-zero-dev', format: 'reconcile-manifest', entries: 50, hashKinds: ['xxh128'], alreadyImported: false, bytes: bytes.length, sha256: sha256(bytes) });
    const [stored] = uploads();
    expect(fs.readFileSync(path.join(fixture.dataDir, 'manifests/uploads', stored!)).equals(bytes)).toBe(true);
    expect(latestInventory('count-zero-dev')).toMatchObject({ id: result.inventoryId, entries: 50, host: 'count-zero' });
    const audit = engineDb().prepare("SELECT actor, targetId, detailsJson FROM AuditEvent WHERE action = 'inventory.uploaded'").get() as { actor: string; targetId: string; detailsJson: string };
    expect(audit).toMatchObject({ actor: 'operator@example.test', targetId: 'count-zero-dev' });
    expect(JSON.parse(audit.detailsJson)).toMatchObject({ entries: 50, sha256: sha256(bytes) });
    // The same bytes again: nothing new, no second copy kept.
    expect(await receiveManifest({ sourceId: 'count-zero-dev', request: upload(bytes), actor })).toMatchObject({ alreadyImported: true, inventoryId: result.inventoryId });
    expect(uploads()).toHaveLength(1);
  });

  it('stops reading past the size cap, even without a content-length, and keeps nothing', async () => {
    const big = Buffer.from(crypto.randomBytes(200 * 1024)); // incompressible: over the 64 KiB cap
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 4096;
        if (pulled > big.length) return controller.close();
        controller.enqueue(new Uint8Array(big.subarray(pulled - 4096, pulled)));
      },
    });
    const request = new Request('http://127.0.0.1/x', { method: 'POST', body, headers: { 'content-type': 'application/gzip' }, duplex: 'half' } as RequestInit);
    const before = uploads();
    expect(await refusal(receiveManifest({ sourceId: 'count-zero-dev', request, actor }))).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('RECONCILE_MANIFEST_UPLOAD_MAX_BYTES') });
    expect(pulled).toBeLessThan(big.length);
    expect(uploads()).toEqual(before);
    const declared = new Request('http://127.0.0.1/x', { method: 'POST', body: 'x', headers: { 'content-type': 'application/gzip', 'content-length': String(10 ** 9) } });
    expect(await refusal(receiveManifest({ sourceId: 'count-zero-dev', request: declared, actor }))).toMatchObject({ code: 'payload_too_large' });
  });

  it('refuses a bad line with its line number, another body type and an unknown source, importing nothing', async () => {
    const inventories = () => engineDb().prepare('SELECT count(*) FROM Inventory').pluck().get();
    const before = { inventories: inventories(), uploads: uploads() };
    const broken = manifest(3, [JSON.stringify({ path: '../escape', type: 'file', size: 1, mtimeNs: '1' })]);
    expect(await refusal(receiveManifest({ sourceId: 'count-zero-dev', request: upload(broken), actor }))).toEqual({
      code: 'bad_request',
      message: 'the upload:5: path: must be a relative path without ..',
    });
    expect(await refusal(receiveManifest({ sourceId: 'count-zero-dev', request: upload(manifest(1), 'application/json'), actor }))).toMatchObject({ code: 'bad_request' });
    expect(await refusal(receiveManifest({ sourceId: 'nope', request: upload(manifest(1)), actor }))).toMatchObject({ code: 'not_found' });
    expect({ inventories: inventories(), uploads: uploads() }).toEqual(before);
  });
});
