/**
 * Manifest version 2 as deploy/origin/reconcile-manifest.ps1 writes it on the Windows PC
 * (PowerShell cannot run here): the fixture below is written by hand exactly as the script's
 * code produces it — its header and entry lines, "\n" line ends, UTF-8 without a byte-order mark,
 * through GZipStream — and the importer and classification read it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collectFindings } from '../../engine/classify/index.ts';
import { importInventory } from '../../engine/inventory/index.ts';
import { SpaceFixture } from '../plan/fixture.ts';

const sha1 = (content: string) => crypto.createHash('sha1').update(content).digest('hex');
/** LastWriteTimeUtc.Ticks → the script's mtimeNs: (ticks − 621355968000000000) × 100. */
const mtimeNs = (ticks: bigint) => ((ticks - 621_355_968_000_000_000n) * 100n).toString();
const ticks = 639_000_000_000_000_000n; // 2025-11-05

const budget = 'budget rows\n'.repeat(200);
const longFolder = `Projects/${'deep folder name/'.repeat(18)}`; // > 260 characters below C:\Users\mdt

/** The lines the script writes for this tree (-Sha1), in its order: a folder's line once it is listed. */
const scriptLines = [
  '{"format":"reconcile-manifest","version":2,"host":"WINTERMUTE","root":"C:\\\\Users\\\\mdt","pathStyle":"windows","createdAt":"2026-10-02T14:00:00.123Z","hash":"sha1","generator":"reconcile-manifest.ps1 0.1.0"}',
  // An ordinary local file: Archive (0x20), hashed.
  `{"path":"Documents/Budget 2026.xlsx","type":"file","size":${budget.length},"sha1":"${sha1(budget)}","mtimeNs":"${mtimeNs(ticks)}","attrs":32}`,
  // OneDrive Files-On-Demand, cloud-only: Archive | Offline | Unpinned | RecallOnDataAccess (0x501020); never read.
  `{"path":"OneDrive/Deck.pptx","type":"file","size":48213,"mtimeNs":"${mtimeNs(ticks)}","attrs":5247008}`,
  `{"path":"OneDrive/Notes.one","type":"file","size":9000,"mtimeNs":"${mtimeNs(ticks)}","attrs":5247008}`,
  // Always keep on this device: Archive | Pinned (0x80020), local, hashed.
  `{"path":"OneDrive/Pinned.txt","type":"file","size":6,"sha1":"${sha1('pinned')}","mtimeNs":"${mtimeNs(ticks)}","attrs":524320}`,
  // Held open by Windows (sharing violation): listed, not hashed.
  `{"path":"NTUSER.DAT","type":"file","size":2359296,"error":"EBUSY","mtimeNs":"${mtimeNs(ticks)}","attrs":38}`,
  // A junction: recorded, not followed. Directory | ReparsePoint (0x410).
  `{"path":"Application Data","type":"symlink","size":0,"mtimeNs":"${mtimeNs(ticks)}","attrs":1046}`,
  // A file with a zeroed timestamp (1601-01-01): below the 64-bit nanosecond range.
  `{"path":"Old/zero-time.txt","type":"file","size":4,"sha1":"${sha1('zero')}","mtimeNs":"${mtimeNs(504_911_232_000_000_000n)}","attrs":32}`,
  // Odd names: a lone UTF-16 surrogate (written \\ud83d by the script), an accent, a name past 260 characters.
  `{"path":"Odd/broken \\ud83d name.txt","type":"file","size":1,"sha1":"${sha1('b')}","mtimeNs":"${mtimeNs(ticks)}","attrs":32}`,
  `{"path":"Odd/Résumé.docx","type":"file","size":1,"sha1":"${sha1('r')}","mtimeNs":"${mtimeNs(ticks)}","attrs":32}`,
  `{"path":"${longFolder}report.pdf","type":"file","size":1,"sha1":"${sha1('p')}","mtimeNs":"${mtimeNs(ticks)}","attrs":32}`,
  // Folders, each written once listed; one the account may not list.
  `{"path":"Documents","type":"dir","size":0,"mtimeNs":"${mtimeNs(ticks)}","attrs":16}`,
  `{"path":"OneDrive","type":"dir","size":0,"mtimeNs":"${mtimeNs(ticks)}","attrs":1040}`,
  `{"path":"Private","type":"dir","size":0,"error":"EACCES","mtimeNs":"${mtimeNs(ticks)}","attrs":16}`,
];

/** GZipStream over a StreamWriter(UTF8Encoding(false)): a plain gzip member of BOM-less UTF-8, "\n" after every line. */
function writeFixture(file: string): void {
  const text = scriptLines.map((line) => `${line}\n`).join('');
  expect(text.startsWith('\uFEFF')).toBe(false);
  fs.writeFileSync(file, zlib.gzipSync(Buffer.from(text, 'utf8')));
}

describe('Windows manifest (version 2, reconcile-manifest.ps1)', () => {
  it('imports SHA-1, attributes and errors, rebuilding C:\\ origin paths', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [{ id: 'wintermute', kind: 'robocopy', class: 'local', host: 'wintermute', landing: 'inbox/wm' }] });
    await fixture.scan();
    const file = path.join(fixture.dir, 'wintermute-mdt.jsonl.gz');
    writeFixture(file);
    const summary = await importInventory(fixture.db, { id: 'wintermute' }, file);
    expect(summary).toMatchObject({ format: 'reconcile-manifest', entries: scriptLines.length - 1, hashKinds: ['sha1'] });
    const row = (relPath: string) =>
      fixture.db.prepare('SELECT originPath, size, mtimeNs, sha1, attrs, errorCode, isDir FROM OriginEntry WHERE relPath = ?').safeIntegers(false).get(relPath) as Record<string, unknown>;
    expect(row('Documents/Budget 2026.xlsx')).toEqual({
      originPath: 'C:\\Users\\mdt\\Documents\\Budget 2026.xlsx',
      size: budget.length,
      mtimeNs: Number(mtimeNs(ticks)),
      sha1: sha1(budget),
      attrs: 32,
      errorCode: null,
      isDir: 0,
    });
    expect(row('OneDrive/Deck.pptx')).toMatchObject({ attrs: 0x501020, sha1: null });
    expect(row('NTUSER.DAT')).toMatchObject({ errorCode: 'EBUSY', sha1: null });
    expect(row('Private')).toMatchObject({ isDir: 1, errorCode: 'EACCES' });
    // Out of the 64-bit range: kept without a time rather than failing the whole import.
    expect(row('Old/zero-time.txt')).toMatchObject({ mtimeNs: null });
    // The lone surrogate survives the JSON escape and is kept as it came (its WTF-8 bytes).
    expect(row('Odd/broken \ud83d name.txt')).toMatchObject({ size: 1, sha1: sha1('b') });
    expect(row('Odd/Résumé.docx')).toMatchObject({ originPath: 'C:\\Users\\mdt\\Odd\\Résumé.docx' });
    expect(row(`${longFolder}report.pdf`).originPath).toBe(`C:\\Users\\mdt\\${longFolder.replaceAll('/', '\\')}report.pdf`);
    expect((row(`${longFolder}report.pdf`).originPath as string).length).toBeGreaterThan(260);
  });

  it('recognises a copy of a cloud-only file as a placeholder, and reports the folder the PC could not list', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [{ id: 'wintermute', kind: 'robocopy', class: 'local', host: 'wintermute', landing: 'inbox/wm' }] });
    // What robocopy left: a complete budget, an empty Deck.pptx (the cloud file was never downloaded),
    // and a Deck copy that stopped part-way would be the same finding.
    fixture.write('inbox/wm/Documents/Budget 2026.xlsx', budget);
    fixture.write('inbox/wm/OneDrive/Deck.pptx', '');
    fixture.write('inbox/wm/OneDrive/Pinned.txt', 'pinned');
    await fixture.scan();
    const file = path.join(fixture.dir, 'wintermute-mdt.jsonl.gz');
    writeFixture(file);
    await importInventory(fixture.db, { id: 'wintermute' }, file);
    const findings = collectFindings(fixture.db, fixture.config);
    const at = (rel: string) => findings.filter((finding) => finding.paths.includes(path.join(fixture.space, 'inbox/wm', rel)));
    const deck = at('OneDrive/Deck.pptx');
    expect(deck.map((finding) => [finding.kind, finding.rule])).toEqual([['placeholder', 'cloud-only-at-origin']]);
    const origin = deck[0]?.kind === 'placeholder' ? deck[0].evidence.origin : undefined;
    expect((origin as { attrs: string[] }).attrs).toEqual(['archive', 'offline', 'unpinned', 'recallOnDataAccess']);
    expect(at('Documents/Budget 2026.xlsx')).toEqual([]);
    expect(at('OneDrive/Pinned.txt')).toEqual([]);
    const privateFolder = at('Private');
    expect(privateFolder.map((finding) => [finding.kind, finding.rule])).toEqual([['unreadable', 'origin-eacces']]);
    expect(privateFolder[0]!.evidence).toMatchObject({ originPath: 'C:\\Users\\mdt\\Private', errorCode: 'EACCES' });
    // Never downloaded at the origin, never arrived: missing, and the evidence says it is cloud-only there.
    const missing = findings.filter((finding) => finding.kind === 'missing').map((finding) => [finding.paths[0], finding.evidence.cloudOnlyAtOrigin ?? false]);
    expect(missing).toContainEqual(['C:\\Users\\mdt\\NTUSER.DAT', false]);
    expect(missing).toContainEqual(['C:\\Users\\mdt\\OneDrive\\Notes.one', true]);
  });
});
