/**
 * Transfer logs as the tools write them: robocopy /UNILOG (UTF-16LE) and /LOG (windows-1252) with
 * CRLF, retries, an accented and a long path; encodings decided per file and decoded as a stream;
 * paths matched to origin and space entries; import warnings, never invented findings.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../engine/db/index.ts';
import { importInventory, importTransferLog, listImportWarnings, readTransferLog } from '../../engine/inventory/index.ts';
import { scan, upsertSource } from '../../engine/scan/index.ts';
import { tempDatabase, tempDir } from '../helpers.ts';
import { ansiLog, encodings, longRel, origin, robocopyLogText, unilog, writeLanded, writeManifest } from './robocopy-fixture.ts';

let db: Db;
let dir: string;
beforeEach(() => {
  db = tempDatabase().db;
  dir = tempDir('reconcile-logs-');
});
afterEach(() => db.close());

function put(rel: string, content: string | Buffer): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

const rule = '-'.repeat(79);
const banner = '   ROBOCOPY     ::     Robust File Copy for Windows';

const failedFiles = [
  ['Finance/budget é.xlsx', 'EACCES'],
  ['Finance/Ledger.xlsx', 'EBUSY'],
  ['Projects/site survey.pdf', 'EACCES'],
  [longRel, 'EBUSY'],
];

describe('robocopy logs in both encodings Windows writes', () => {
  it.each(encodings)('$name: every failed file with its Windows error, retries folded, the summary read', async ({ encode, expected }) => {
    const parsed = await readTransferLog(put('robocopy.log', encode(robocopyLogText())), { origin });
    expect(parsed.tool).toBe('robocopy');
    expect(`${parsed.encoding.name} (${parsed.encoding.reason})`).toBe(expected);
    const failed = parsed.events.filter((event) => event.level === 'error');
    // Before matching, the path is the log's (lower-case folder and all), relative to the origin.
    expect(failed.map((event) => [event.relPath, event.code])).toEqual([
      ['Finance/budget é.xlsx', 'EACCES'],
      ['finance/LEDGER.xlsx', 'EBUSY'],
      ['Projects/site survey.pdf', 'EACCES'],
      [longRel, 'EBUSY'],
    ]);
    expect(failed[1]!.message).toBe(
      '2026/10/02 14:04:30 ERROR 32 (0x00000020) Copying File C:\\Users\\mike\\MDT\\finance\\LEDGER.xlsx ' +
        'The process cannot access the file because it is being used by another process. (retry limit exceeded after 3 attempts)',
    );
    // old.csv failed once, then copied on the retry: kept as information, not as a failure.
    expect(parsed.events.filter((event) => event.level === 'info').map((event) => [event.relPath, event.code])).toEqual([['Finance/old.csv', 'EBUSY']]);
    expect(parsed.robocopyJobs).toHaveLength(1);
    expect(parsed.robocopyJobs[0]).toMatchObject({ source: origin, dest: '\\\\motoko\\space\\inbox\\win\\' });
    expect(parsed.robocopyJobs[0]!.summary).toMatchObject({
      dirs: { total: 4, failed: 0 },
      files: { total: 7, copied: 3, failed: 4 },
      bytes: { total: Math.round(1.25 * 1024 ** 2), failed: Math.round(58.6 * 1024) },
    });
  });

  it('maps the Windows errors robocopy prints, with tabs, long-path prefixes, localised words and no retries', async () => {
    const header = [banner, `   Source : ${origin}`, '     Dest : \\\\motoko\\space\\inbox\\win\\', '', '  Options : *.* /S /E /R:0 /W:0', rule];
    const lines = [
      ...header,
      '2026/10/02 14:00:01 ERROR 2 (0x00000002) Copying File C:\\Users\\mike\\MDT\\gone.txt',
      'The system cannot find the file specified.',
      '2026/10/02 14:00:02 ERROR 3 (0x00000003)\tCopying File\tC:\\Users\\mike\\MDT\\Old\\x.txt',
      'The system cannot find the path specified.',
      '2026/10/02 14:00:03 ERROR 123 (0x0000007B) Copying File C:\\Users\\mike\\MDT\\bad name .txt',
      'The filename, directory name, or volume label syntax is incorrect.',
      '2026/10/02 14:00:04 ERROR 1920 (0x00000780) Copying File \\\\?\\C:\\Users\\mike\\MDT\\OneDrive link.url',
      'The file cannot be accessed by the system.',
      '2026/10/02 14:00:05 FEHLER 5 (0x00000005) Kopieren der Datei C:\\Users\\mike\\MDT\\Privat\\tagebuch.docx',
      'Zugriff verweigert',
      '2026/10/02 14:00:06 ERROR 112 (0x00000070) Copying File C:\\Users\\mike\\MDT\\video.mp4',
      'There is not enough space on the disk.',
      '2026/10/02 14:00:07 ERROR 5 (0x00000005) Accessing Destination Directory \\\\motoko\\space\\inbox\\win\\Private\\',
      'Access is denied.',
      '2026/10/02 14:00:08 ERROR 999 (0x00000001) Copying File C:\\Users\\mike\\MDT\\not-an-error.txt',
      '\t    New File  \t\t    1024\tERROR 5 (0x00000005) named like an error.txt',
    ];
    const events = (await readTransferLog(put('codes.log', lines.join('\r\n')), { origin })).events;
    expect(events.map((event) => [event.lineNo - header.length, event.relPath, event.side ?? 'origin', event.code, event.robocopy?.target])).toEqual([
      [1, 'gone.txt', 'origin', 'ENOENT', 'file'],
      [3, 'Old/x.txt', 'origin', 'ENOENT', 'file'],
      [5, 'bad name .txt', 'origin', 'EINVAL', 'file'],
      [7, 'OneDrive link.url', 'origin', 'EACCES', 'file'],
      [9, 'Privat/tagebuch.docx', 'origin', 'EACCES', 'file'],
      [11, 'video.mp4', 'origin', 'ENOSPC', 'file'],
      [13, 'Private', 'space', 'EACCES', 'dir'],
    ]);
    expect(events.every((event) => event.level === 'error')).toBe(true);
    expect(events[4]!.message).toContain('Zugriff verweigert');
  });

  it('reads a localised summary table by position and does not stumble on other languages', async () => {
    const text = [
      '-------------------------------------------------------------------------------',
      '   ROBOCOPY     ::     Robustes Dateikopieren für Windows',
      '-------------------------------------------------------------------------------',
      '',
      '   Quelle : C:\\Users\\mike\\MDT\\',
      '     Ziel : \\\\motoko\\space\\inbox\\win\\',
      '',
      '------------------------------------------------------------------------------',
      '2026/10/02 14:00:05 FEHLER 32 (0x00000020) Kopieren der Datei C:\\Users\\mike\\MDT\\a.xlsx',
      'Der Prozess kann nicht auf die Datei zugreifen, da sie von einem anderen Prozess verwendet wird.',
      'FEHLER: ANZAHL DER WIEDERHOLUNGEN ÜBERSCHRITTEN.',
      '------------------------------------------------------------------------------',
      '',
      '                  Insgesamt   KopiertÜbersprungen Keine Übereinstimmung    FEHLER    Extras',
      'Verzeich.:         1         1         0         0         0         0',
      '  Dateien:         2         1         0         0         1         0',
      '    Bytes:     1,5 k       512         0         0     1,0 k         0',
      '   Zeiten:   0:00:01   0:00:00                       0:00:00   0:00:00',
    ].join('\r\n');
    const parsed = await readTransferLog(put('de.log', ansiLog(text)), { origin });
    expect(parsed.events.map((event) => [event.relPath, event.code, event.level])).toEqual([['a.xlsx', 'EBUSY', 'error']]);
    expect(parsed.robocopyJobs[0]!.summary).toMatchObject({ dirs: { total: 1 }, files: { total: 2, failed: 1 }, bytes: { total: 1536 } });
  });

  it('counts a retry the log ends in (no summary: robocopy was stopped) as a failure, an earlier one robocopy moved on from as copied', async () => {
    const text = robocopyLogText().split('\r\n');
    const cut = text.findIndex((line) => line.includes('ERROR 5 (0x00000005) Copying File C:\\Users\\mike\\MDT\\Projects'));
    const parsed = await readTransferLog(put('cut.log', unilog([...text.slice(0, cut + 3)].join('\r\n'))), { origin });
    expect(parsed.robocopyJobs[0]!.summary).toBeUndefined();
    const survey = parsed.events.find((event) => event.relPath === 'Projects/site survey.pdf')!;
    expect([survey.level, survey.robocopy?.outcome]).toEqual(['error', 'interrupted']);
    // old.csv was retried and robocopy went on to the next folder (without /MT, one file at a time): it was copied.
    const old = parsed.events.find((event) => event.relPath === 'Finance/old.csv')!;
    expect([old.level, old.robocopy?.outcome]).toEqual(['info', 'recovered']);
  });
});

describe('decoding transfer logs', () => {
  it('takes the byte-order mark, else valid UTF-8, else the configured code page', async () => {
    const line = (name: string) => `2026/10/02 14:00:01 ERROR 32 (0x00000020) Copying File C:\\Users\\mike\\MDT\\${name}\r\n${'The process cannot access the file.'}\r\n`;
    const read = async (file: string, codePage?: string) => {
      const parsed = await readTransferLog(file, { origin, codePage });
      return [`${parsed.encoding.name} (${parsed.encoding.reason})`, parsed.events[0]?.relPath];
    };
    expect(await read(put('be.log', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(line('Ökonomie.xlsx'), 'utf16le').swap16()])))).toEqual([
      'utf-16be (byte-order mark)',
      'Ökonomie.xlsx',
    ]);
    expect(await read(put('bom8.log', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(line('naïve.txt'))])))).toEqual(['utf-8 (byte-order mark)', 'naïve.txt']);
    expect(await read(put('nobom16.log', Buffer.from(line('ça.txt'), 'utf16le')))).toEqual(['utf-16le (UTF-16 without byte-order mark)', 'ça.txt']);
    expect(await read(put('utf8.log', line('résumé.docx')))).toEqual(['utf-8 (valid UTF-8)', 'résumé.docx']);
    // A console capture in OEM 850: é is 0x82 there (and "‚" in windows-1252).
    expect(await read(put('oem.log', iconv.encode(line('café.txt'), 'cp850')), 'cp850')).toEqual(['cp850 (code page)', 'café.txt']);
    expect(await read(put('oem437.log', iconv.encode(line('naïve.txt'), 'cp437')), 'cp437')).toEqual(['cp437 (code page)', 'naïve.txt']);
  });

  it('streams across chunk boundaries: a CRLF, a UTF-8 character and a late non-UTF-8 byte after 1 MiB of ASCII', async () => {
    const chunk = 1 << 20;
    const filler = (bytes: number) => {
      const lines: string[] = [];
      let size = 0;
      while (size + 40 <= bytes) {
        const text = `\t    New File  \t\t    1024\tfile ${String(lines.length).padStart(8, '0')}.txt`;
        lines.push(text);
        size += Buffer.byteLength(text) + 2;
      }
      return { text: lines.map((text) => `${text}\r\n`).join(''), count: lines.length, size };
    };
    // CRLF split across the first chunk boundary: the CR is the last byte of chunk one.
    const top = `${rule}\r\n${banner}\r\n`;
    const head = filler(chunk - 300);
    const prefix = '2026/10/02 14:00:01 ERROR 32 (0x00000020) Copying File C:\\Users\\mike\\MDT\\';
    const pad = 'x'.repeat(chunk - top.length - head.size - prefix.length - 1);
    const split = `${top}${head.text}${prefix}${pad}\r\nbusy\r\n`;
    expect(split.slice(chunk - 1, chunk + 1)).toBe('\r\n');
    const crlf = await readTransferLog(put('split-crlf.log', split), { origin });
    expect(crlf.lines).toBe(2 + head.count + 2);
    expect(crlf.events.map((event) => [event.lineNo, event.relPath, event.message.endsWith(' busy')])).toEqual([[2 + head.count + 1, pad, true]]);

    // A two-byte UTF-8 character across the boundary (an rsync log: UTF-8 from a Mac).
    const rsyncHead = 'x'.repeat(chunk - 1 - 'rsync: [sender] send_files failed to open "/Users/miket/dev/'.length);
    const rsync = `rsync: [sender] send_files failed to open "/Users/miket/dev/${rsyncHead}é.pdf": Operation not permitted (1)\n`;
    expect(Buffer.from(rsync)[chunk - 1]).toBe(0xc3);
    const utf8 = await readTransferLog(put('split-utf8.log', rsync), { origin: '/Users/miket/dev/' });
    expect([utf8.encoding.reason, utf8.events[0]!.relPath]).toEqual(['valid UTF-8', `${rsyncHead}é.pdf`]);

    // 1 MiB of ASCII file lines after the header, then a windows-1252 é: read again in the code page, from the start.
    const lines = robocopyLogText().split('\r\n');
    const body = lines.findIndex((line) => line.startsWith('\t') && line.endsWith('MDT\\'));
    const late = [...lines.slice(0, body + 1), filler(chunk + 4096).text.slice(0, -2), ...lines.slice(body + 1)].join('\r\n');
    expect(Buffer.from(late).subarray(0, chunk).every((byte) => byte < 0x80)).toBe(true);
    const reread = await readTransferLog(put('late.log', ansiLog(late)), { origin });
    expect(reread.encoding).toEqual({ name: 'windows-1252', reason: 'code page' });
    expect(reread.events.filter((event) => event.level === 'error').map((event) => [event.relPath, event.code])).toEqual([
      ['Finance/budget é.xlsx', 'EACCES'],
      ['finance/LEDGER.xlsx', 'EBUSY'],
      ['Projects/site survey.pdf', 'EACCES'],
      [longRel, 'EBUSY'],
    ]);
  });

  it('handles mixed line ends: CRLF, LF and a lone CR (progress overwritten in place)', async () => {
    const text = [
      '-------------------------------------------------------------------------------\r\n',
      '   ROBOCOPY     ::     Robust File Copy for Windows\n',
      '\t    New File  \t\t  1.2 m\tbig.bin\r  0%  \r 52%  \r',
      '2026/10/02 14:00:01 ERROR 64 (0x00000040) Copying File C:\\Users\\mike\\MDT\\big.bin\n',
      'The specified network name is no longer available.\r\n',
    ].join('');
    const parsed = await readTransferLog(put('mixed.log', text), { origin });
    expect(parsed.lines).toBe(7);
    expect(parsed.events.map((event) => [event.lineNo, event.relPath, event.code, event.message.endsWith('no longer available.')])).toEqual([[6, 'big.bin', 'ECONNRESET', true]]);
  });

  it('still reads rsync and rclone logs (UTF-8, NFD names from a Mac)', async () => {
    const nfd = 'Cafe\u0301 menu.pdf';
    const rsync = put('rsync.log', `2026/10/02 14:00:02 [4242] rsync: [sender] send_files failed to open "/Users/miket/dev/${nfd}": Operation not permitted (1)\n`);
    expect((await readTransferLog(rsync, { origin: '/Users/miket/dev/' })).events.map((event) => [event.relPath, event.code])).toEqual([[nfd, 'EPERM']]);
    const rclone = put('rclone.jsonl', `${JSON.stringify({ level: 'error', msg: 'Failed to copy: unexpected EOF', object: `Menus/${nfd}` })}\n`);
    expect((await readTransferLog(rclone)).events.map((event) => [event.tool, event.relPath, event.code])).toEqual([['rclone', `Menus/${nfd}`, 'EOF']]);
  });
});

describe('importing a log: matching paths, import warnings', () => {
  async function wintermute(): Promise<void> {
    upsertSource(db, {
      id: 'wintermute-mdt',
      kind: 'robocopy',
      class: 'local',
      origin,
      landing: 'inbox/win',
      root: path.join(dir, 'space/inbox/win'),
      boundary: dir,
      logPaths: [],
      configJson: '{}',
    });
    writeManifest(path.join(dir, 'wintermute.jsonl.gz'));
    await importInventory(db, { id: 'wintermute-mdt' }, path.join(dir, 'wintermute.jsonl.gz'));
  }

  it.each(encodings)('$name: attaches every failed file to its origin entry (case and long-path prefix aside)', async ({ encode }) => {
    await wintermute();
    const file = put('robocopy.log', encode(robocopyLogText()));
    const result = await importTransferLog(db, { id: 'wintermute-mdt', origin }, file);
    expect(result).toMatchObject({ tool: 'robocopy', events: 5, matched: 5, unmatched: 0, warnings: [] });
    expect(db.prepare("SELECT relPath, code FROM TransferEvent WHERE level = 'error' ORDER BY lineNo").raw().all()).toEqual(failedFiles);
    expect(listImportWarnings(db)).toEqual([]);
  });

  it('warns about a line naming nothing the source has, and about a summary whose failures cannot all be matched', async () => {
    await wintermute();
    const file = put('robocopy.log', unilog(robocopyLogText({ unmatchable: true })));
    const result = await importTransferLog(db, { id: 'wintermute-mdt', origin }, file);
    expect(result).toMatchObject({ events: 6, matched: 5, unmatched: 1 });
    // The lock file's error is stored but attached to no path, so nothing can be found "at" it.
    expect(db.prepare("SELECT relPath, code FROM TransferEvent WHERE message LIKE '%~$Ledger%'").get()).toEqual({ relPath: null, code: 'EBUSY' });
    const warnings = listImportWarnings(db, { sourceId: 'wintermute-mdt' });
    expect(warnings.map((warning) => [warning.kind, warning.lineNo, warning.message])).toEqual([
      [
        'unmatched-path',
        expect.any(Number),
        'line ' +
          warnings[0]!.lineNo +
          ' names C:\\Users\\mike\\MDT\\Finance\\~$Ledger.xlsx, which matches no origin entry and no file in the space: its error (EBUSY) is attached to no file',
      ],
      ['summary-mismatch', expect.any(Number), 'the log reports 5 failures; 4 could be matched (robocopy summary: Files FAILED 5)'],
    ]);
    expect(warnings[1]).toMatchObject({ file, detail: { row: 'Files', reported: 5, matched: 4 } });
    // Re-importing replaces the file's events and warnings.
    await importTransferLog(db, { id: 'wintermute-mdt', origin }, file);
    expect(db.prepare('SELECT COUNT(*) FROM ImportWarning').pluck().get()).toBe(2);
    expect(db.prepare('SELECT COUNT(*) FROM TransferEvent').pluck().get()).toBe(6);
  });

  it('matches a space entry when no inventory lists the path, and places destination-side paths under the landing', async () => {
    const win = { id: 'win', kind: 'robocopy' as const, class: 'local' as const, origin, landing: 'inbox/win', root: path.join(dir, 'space'), boundary: dir, logPaths: [], configJson: '{}' };
    writeLanded(win.root);
    await scan(db, { sources: [win], xattrs: false, hashWorkers: 1 });
    const log = [
      rule,
      banner,
      rule,
      `   Source : ${origin}`,
      '     Dest : \\\\motoko\\space\\inbox\\win\\',
      rule,
      '2026/10/02 14:00:01 ERROR 5 (0x00000005) Copying File C:\\Users\\mike\\MDT\\FINANCE\\Old.CSV',
      'Access is denied.',
      '2026/10/02 14:00:02 ERROR 5 (0x00000005) Changing File Attributes \\\\motoko\\space\\inbox\\win\\notes.txt',
      'Access is denied.',
      '2026/10/02 14:00:03 ERROR 5 (0x00000005) Copying File D:\\Elsewhere\\x.txt',
      'Access is denied.',
    ];
    const result = await importTransferLog(db, { id: 'win', origin }, put('space.log', log.join('\r\n')));
    expect(db.prepare('SELECT lineNo, relPath FROM TransferEvent ORDER BY lineNo').raw().all()).toEqual([
      [7, 'Finance/old.csv'],
      [9, 'notes.txt'],
      [11, null],
    ]);
    expect(result.warnings.map((warning) => warning.message)).toEqual([
      'line 11 names D:\\Elsewhere\\x.txt, outside the origin C:\\Users\\mike\\MDT\\: its error (EACCES) is attached to no file',
      "the log ends without robocopy's summary table (the copy was interrupted, or the log cut short): failures it met later are not in the log",
    ]);
  });
});
