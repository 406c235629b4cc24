/**
 * The one origin ↔ space matcher (engine/classify/origin-match.ts) on real files and real imported
 * inventories: which evidence decides, and which files it reads to get it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CatalogView } from '../../engine/classify/catalog.ts';
import { originEntries } from '../../engine/classify/origin-entries.ts';
import { counterpart, matchOrigin, sameSizeAndNameSql, type OriginMatch } from '../../engine/classify/origin-match.ts';
import { QuickXorHash } from '../../engine/hash/index.ts';
import { importInventory, writeManifest } from '../../engine/inventory/index.ts';
import { SpaceFixture } from './fixture.ts';
import { tempDatabase } from '../helpers.ts';

/** Every origin entry of the latest inventories with its match, as classify pairs and compares them. */
function matchAll(catalog: CatalogView): (OriginMatch & { relPath: string })[] {
  const matches = [...originEntries(catalog.db)].map((origin) => ({ relPath: origin.relPath, ...matchOrigin(catalog, counterpart(catalog, origin), origin) }));
  catalog.saveKeptHashes();
  return matches;
}

describe('origin matching', () => {
  it('confirms landed copies against an XXH128 manifest, hashing only the counterparts it needs', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [{ id: 'mac', kind: 'rsync', class: 'local', landing: 'landing', origin: '/Users/miket/dev' }] });
    const origin = path.join(fixture.dir, 'origin');
    const put = (file: string, content: string) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    };
    put(`${origin}/same.txt`, 'identical content');
    put(`${origin}/edited.txt`, 'original words');
    put(`${origin}/lost.txt`, 'never copied');
    put(`${origin}/Cafe\u0301.txt`, 'nfd name on the Mac');
    const out = path.join(fixture.dir, 'origin.jsonl.gz');
    await writeManifest({ dir: origin, out, hash: true });
    fixture.write('landing/same.txt', 'identical content');
    fixture.write('landing/edited.txt', 'changed words!');
    fixture.write('landing/Café.txt', 'nfd name on the Mac');
    await fixture.scan();
    expect(fixture.db.prepare('SELECT count(*) FROM Entry WHERE fullHash IS NOT NULL').pluck().get()).toBe(0); // no twins: nothing hashed
    await importInventory(fixture.db, { id: 'mac' }, out);
    const matches = matchAll(new CatalogView(fixture.db, fixture.config));
    expect(Object.fromEntries(matches.map((match) => [match.relPath.normalize('NFC'), match.status]))).toEqual({
      'same.txt': 'hash-match',
      'edited.txt': 'hash-mismatch',
      'lost.txt': 'missing',
      'Café.txt': 'hash-match',
    });
    // The XXH128s computed for the comparison are kept in the catalog.
    expect(fixture.db.prepare('SELECT count(*) FROM Entry WHERE fullHash IS NOT NULL').pluck().get()).toBe(3);
  });

  it('imports rclone lsjson -R --hash output and confirms counterparts by QuickXorHash, SHA-1 or size + mtime', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [{ id: 'm365', kind: 'rclone', class: 'cloud', landing: 'cloud', origin: 'm365:', remote: 'm365:' }] });
    const content = (name: string) => Buffer.from(`content of ${name} `.repeat(500));
    const quickxor = (data: Buffer) => new QuickXorHash().update(data).digest().toString('base64');
    const sha1 = (data: Buffer) => crypto.createHash('sha1').update(data).digest('hex');
    const mtime = 1_759_413_600;
    const files = ['qx.docx', 'sha.pdf', 'plain.txt', 'truncated.zip', 'changed.xlsx', 'other-time.txt'];
    for (const name of files) fixture.write(`cloud/${name}`, name === 'changed.xlsx' ? Buffer.from(content(name)).fill(65, 0, 10) : content(name), mtime);
    fs.truncateSync(path.join(fixture.space, 'cloud/truncated.zip'), 100);
    fs.utimesSync(path.join(fixture.space, 'cloud/other-time.txt'), mtime + 3600, mtime + 3600);
    const item = (name: string, hashes: Record<string, string>) =>
      JSON.stringify({ Path: name, Name: name, Size: content(name).length, MimeType: 'x', ModTime: '2025-10-02T14:00:00.123456789Z', IsDir: false, Hashes: hashes });
    const lines = [
      JSON.stringify({ Path: 'Folder', Name: 'Folder', Size: -1, ModTime: '2025-10-02T14:00:00Z', IsDir: true }),
      item('qx.docx', { quickxor: quickxor(content('qx.docx')) }),
      item('sha.pdf', { sha1: sha1(content('sha.pdf')) }),
      item('plain.txt', {}),
      item('truncated.zip', { quickxor: Buffer.from(quickxor(content('truncated.zip')), 'base64').toString('hex') }),
      item('changed.xlsx', { sha1: sha1(content('changed.xlsx')) }),
      item('other-time.txt', {}),
      item('never-arrived.pptx', { sha1: 'a'.repeat(40) }),
    ];
    const lsjson = path.join(fixture.dir, 'lsjson.json');
    fs.writeFileSync(lsjson, `[\n${lines.join(',\n')}\n]\n`);
    await fixture.scan();
    // rclone's ModTime of the plain file is the real mtime, to the nanosecond.
    const imported = await importInventory(fixture.db, { id: 'm365', remote: 'm365:' }, lsjson);
    expect(imported).toMatchObject({ format: 'rclone-lsjson', entries: 8, hashKinds: ['quickxor', 'sha1'] });
    expect(fixture.db.prepare(`SELECT originPath, mtimeNs FROM OriginEntry WHERE relPath = 'qx.docx'`).safeIntegers(true).get()).toEqual({
      originPath: 'm365:qx.docx',
      mtimeNs: 1759413600123456789n,
    });
    fixture.db.prepare(`UPDATE OriginEntry SET mtimeNs = ? WHERE relPath IN ('plain.txt', 'other-time.txt')`).run(BigInt(mtime) * 1_000_000_000n);
    const catalog = new CatalogView(fixture.db, fixture.config);
    const hashed = vi.spyOn(catalog, 'hash');
    const matches = matchAll(catalog);
    const status = Object.fromEntries(matches.map((match) => [match.relPath, `${match.status}/${match.strength}`]));
    expect(status).toEqual({
      'qx.docx': 'hash-match/strong',
      'sha.pdf': 'hash-match/strong',
      'plain.txt': 'size-mtime-match/weak',
      'truncated.zip': 'size-mismatch/strong',
      'changed.xlsx': 'hash-mismatch/strong',
      'other-time.txt': 'size-match/weak',
      'never-arrived.pptx': 'missing/none',
    });
    expect(matches.find((match) => match.relPath === 'qx.docx')!.evidence).toMatchObject({
      hashKind: 'quickxor',
      actualHash: Buffer.from(quickxor(content('qx.docx')), 'base64').toString('hex'),
    });
    // Cloud hashes are computed for same-size counterparts only, once each, in the inventory's kind.
    expect(hashed.mock.calls.map(([row, kind]) => `${row.name}:${kind}`).sort()).toEqual(['changed.xlsx:sha1', 'qx.docx:quickxor', 'sha.pdf:sha1']);
  });

  it('prefers the inventory hash that is hardest to collide when it has several', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [{ id: 'm365', kind: 'rclone', class: 'cloud', landing: 'cloud', origin: 'm365:', remote: 'm365:' }] });
    const data = Buffer.from('both hashes');
    fixture.write('cloud/both.docx', data);
    await fixture.scan();
    const lsjson = path.join(fixture.dir, 'lsjson.json');
    const hashes = { quickxor: new QuickXorHash().update(data).digest().toString('hex'), sha1: crypto.createHash('sha1').update(data).digest('hex') };
    fs.writeFileSync(lsjson, `[\n${JSON.stringify({ Path: 'both.docx', Name: 'both.docx', Size: data.length, ModTime: '2025-10-02T14:00:00Z', IsDir: false, Hashes: hashes })}\n]\n`);
    await importInventory(fixture.db, { id: 'm365', remote: 'm365:' }, lsjson);
    const [match] = matchAll(new CatalogView(fixture.db, fixture.config));
    expect(match).toMatchObject({ status: 'hash-match', strength: 'strong', evidence: { hashKind: 'sha1', actualHash: hashes.sha1 } });
  });
});

it('seeks the files of one name and size in an index, never every file of that size', () => {
  const { db } = tempDatabase();
  for (const removed of [false, true]) {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sameSizeAndNameSql({ removed })}`).all(4096, 'notes.txt') as { detail: string }[]).map((row) => row.detail).join(' | ');
    expect(plan).toContain('Entry_name_size_type_idx (name=? AND size=? AND type=?)');
  }
});

