/** Content-aware views and diffs on real files, through the worker pool, with hostile files answered within bounds. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentPool, limits, type Comparison, type DocumentDiff, type OpenedFile } from '../../engine/documents/index.ts';
import { tempDir } from '../helpers.ts';
import { docx, pdf, png, sparse, xlsx, zip, zipBomb } from './files.ts';

const dir = tempDir('reconcile-documents-');
const pool = new DocumentPool({ workers: 2 });
const opened: number[] = [];
afterAll(async () => {
  await pool.close();
  for (const fd of opened) fs.closeSync(fd);
});

function write(name: string, content: Buffer): OpenedFile {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return open(file);
}

function open(file: string): OpenedFile {
  const fd = fs.openSync(file, 'r');
  opened.push(fd);
  return { fd, size: fs.fstatSync(fd).size, name: path.basename(file) };
}

function compared(diff: DocumentDiff): Comparison {
  if (diff.status !== 'compared') throw new Error(`not compared: ${JSON.stringify(diff)}`);
  return diff.comparison;
}

describe('document diffs', () => {
  it('Word: names the changed paragraph', async () => {
    const a = write('a.docx', await docx(['Invoice 2023-003', 'Total due: 1,200 EUR within 30 days.', 'Thank you for your business.']));
    const b = write('b.docx', await docx(['Invoice 2023-003', 'Total due: 1,450 EUR within 14 days.', 'Thank you for your business.']));
    const view = await pool.view(a);
    expect(view).toMatchObject({ status: 'view', content: { format: 'paragraphs', type: 'docx', paragraphs: ['Invoice 2023-003', 'Total due: 1,200 EUR within 30 days.', 'Thank you for your business.'] } });
    const comparison = compared((await pool.diff(a, b)).diff);
    expect(comparison.format).toBe('paragraphs');
    if (comparison.format !== 'paragraphs') return;
    expect(comparison.diff.parts.filter((part) => part.op !== 'same')).toEqual([
      { op: 'remove', lines: 1, text: 'Total due: 1,200 EUR within 30 days.\n' },
      { op: 'add', lines: 1, text: 'Total due: 1,450 EUR within 14 days.\n' },
    ]);
  });

  it('Excel: names the changed cell, sheet by sheet, dates as dates', async () => {
    const rows = [
      ['Item', 'Amount', 'Paid'],
      ['Hosting', 120, true],
      ['Design', 800, false],
    ];
    const a = write('a.xlsx', await xlsx([{ sheet: 'Sheet1', rows }, { sheet: 'Notes', rows: [['Due', new Date(Date.UTC(2025, 2, 31))]] }]));
    const changed = rows.map((row) => [...row]);
    changed[2]![1] = 950;
    const b = write('b.xlsx', await xlsx([{ sheet: 'Sheet1', rows: changed }, { sheet: 'Notes', rows: [['Due', new Date(Date.UTC(2025, 3, 30))]] }]));
    const view = await pool.view(a);
    expect(view).toMatchObject({ status: 'view', content: { format: 'cells', sheets: [{ name: 'Sheet1' }, { name: 'Notes', cells: [['A1', 'Due'], ['B1', '2025-03-31']] }] } });
    const comparison = compared((await pool.diff(a, b)).diff);
    expect(comparison).toMatchObject({
      format: 'cells',
      changed: 2,
      changes: [
        { sheet: 'Sheet1', cell: 'B3', from: '800', to: '950' },
        { sheet: 'Notes', cell: 'B1', from: '2025-03-31', to: '2025-04-30' },
      ],
    });
  });

  it('PDF: names the changed page text; the first page renders as a thumbnail', async () => {
    const a = write('a.pdf', await pdf([['Services agreement', 'Term: 12 months'], ['Signed in Lisbon']]));
    const b = write('b.pdf', await pdf([['Services agreement', 'Term: 24 months'], ['Signed in Lisbon']]));
    const comparison = compared((await pool.diff(a, b)).diff);
    expect(comparison.format).toBe('pages');
    if (comparison.format !== 'pages') return;
    expect(comparison.pageCounts).toEqual([2, 2]);
    expect(comparison.pages.map((page) => page.status)).toEqual(['changed', 'same']);
    expect(comparison.pages[0]!.diff!.parts.filter((part) => part.op !== 'same').map((part) => part.text)).toEqual(['Term: 12 months\n', 'Term: 24 months\n']);
    const thumbnail = Buffer.from(await pool.thumbnail(a));
    expect(thumbnail.subarray(1, 4).toString()).toBe('PNG');
    expect(thumbnail.readUInt32BE(20)).toBe(limits.thumbnailSide); // height: the page is portrait
  });

  it('pictures: counts the differing pixels at one scale, with an overlay and the facts', async () => {
    const a = write('a.png', png(200, 100, { x: 10, y: 10, side: 20, colour: '#d01030' }));
    const b = write('b.png', png(200, 100, { x: 10, y: 10, side: 30, colour: '#d01030' }));
    const { diff, overlay } = await pool.diff(a, b);
    expect(compared(diff)).toMatchObject({
      format: 'image',
      facts: [{ width: 200, height: 100 }, { width: 200, height: 100 }],
      pixels: { width: 200, height: 100, total: 20_000, differing: 30 * 30 - 20 * 20, scaled: false },
    });
    expect(Buffer.from(overlay!).subarray(1, 4).toString()).toBe('PNG');
    // Another size: both are compared at the smaller one.
    const small = write('small.png', png(100, 50, { x: 5, y: 5, side: 10, colour: '#d01030' }));
    expect(compared((await pool.diff(a, small)).diff)).toMatchObject({ pixels: { width: 100, height: 50, scaled: true, sameDimensions: false } });
  });

  it('zip archives: entries added, removed and changed by size and CRC', async () => {
    const a = write('a.zip', zip({ 'readme.txt': 'hello', 'data/one.csv': 'a,b\n1,2\n', 'old.txt': 'gone' }));
    const b = write('b.zip', zip({ 'readme.txt': 'hello', 'data/one.csv': 'a,b\n1,3\n', 'new.txt': 'here' }));
    expect(compared((await pool.diff(a, b)).diff)).toMatchObject({
      format: 'entries',
      same: 1,
      changes: [
        { name: 'data/one.csv', from: { size: 8 }, to: { size: 8 } },
        { name: 'new.txt', from: null, to: { size: 4 } },
        { name: 'old.txt', from: { size: 4 }, to: null },
      ],
    });
  });
});

describe('hostile files get a bounded answer, and other requests are served meanwhile', () => {
  it('a zip bomb, a corrupt .docx and a 2 GB file', async () => {
    const bomb = write('bomb.docx', zipBomb(limits.partBytes + 1024 * 1024));
    const corrupt = write('corrupt.docx', Buffer.concat([(await docx(['intact'])).subarray(0, 2000), Buffer.alloc(500, 0x41)]));
    const huge = open(sparse(path.join(dir, 'huge.pdf'), Buffer.from('%PDF-1.7\n'), 2 * 1024 * 1024 * 1024));
    const hugeZip = open(sparse(path.join(dir, 'huge.docx'), Buffer.from('PK\x03\x04'), 2 * 1024 * 1024 * 1024));
    const fine = write('fine.docx', await docx(['still served']));
    const [bombView, corruptView, hugeView, hugeZipView, fineView] = await Promise.all([pool.view(bomb), pool.view(corrupt), pool.view(huge), pool.view(hugeZip), pool.view(fine)]);
    expect(bombView).toMatchObject({ status: 'refused', reason: 'too-large' });
    expect(corruptView).toMatchObject({ status: 'refused', reason: 'unreadable' });
    expect(hugeView).toMatchObject({ status: 'refused', reason: 'too-large' });
    expect(hugeZipView).toMatchObject({ status: 'refused', reason: 'too-large' });
    expect(fineView).toMatchObject({ status: 'view', content: { paragraphs: ['still served'] } });
  });

  it('a zip whose part lies about its size stops at the lie', async () => {
    const honest = zipBomb(4 * 1024 * 1024);
    // Claim 1 KiB inflated for word/document.xml in both headers: yauzl stops the stream past it.
    const lying = Buffer.from(honest);
    for (let offset = lying.indexOf('PK\x01\x02'); offset >= 0; offset = lying.indexOf('PK\x01\x02', offset + 4)) {
      if (lying.subarray(offset + 46, offset + 46 + 17).toString() === 'word/document.xml') lying.writeUInt32LE(1024, offset + 24);
    }
    for (let offset = lying.indexOf('PK\x03\x04'); offset >= 0; offset = lying.indexOf('PK\x03\x04', offset + 4)) {
      if (lying.subarray(offset + 30, offset + 30 + 17).toString() === 'word/document.xml') lying.writeUInt32LE(1024, offset + 22);
    }
    expect(await pool.view(write('lying.docx', lying))).toMatchObject({ status: 'refused', reason: 'unreadable' });
  });

  it('a task that outlives the timeout ends its worker; the next task gets a fresh one', async () => {
    const quick = new DocumentPool({ workers: 1, timeoutMs: 1 });
    const file = write('slow.pdf', await pdf([['one page']]));
    try {
      expect(await quick.view(file)).toMatchObject({ status: 'refused', reason: 'timed-out' });
    } finally {
      await quick.close();
    }
    expect(await pool.view(file)).toMatchObject({ status: 'view', content: { format: 'pages', pages: ['one page'] } });
  });
});
