/**
 * robocopy logs as Windows writes them, generated for the tests: CRLF line ends, the header block,
 * tab-laid folder and file lines, two-line errors with `Waiting 30 seconds... Retrying...` and
 * `ERROR: RETRY LIMIT EXCEEDED.`, the summary table; encoded as /UNILOG writes (UTF-16LE with a
 * byte-order mark) or as /LOG writes (the ANSI code page, windows-1252 here). Layout after
 * robocopy's documented output and logs published with parsers of it.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';

export const origin = 'C:\\Users\\mike\\MDT\\';
export const dest = '\\\\motoko\\space\\inbox\\win\\';

/** A folder of 110 characters and a name of 160 under Archive: a path far beyond MAX_PATH (260). */
export const longFolder = `Archive\\${'Scans 2019 '.repeat(10)}`.trimEnd();
export const longName = `${'Quarterly statement scan '.repeat(6)}final.pdf`;
export const longRel = `${longFolder.replaceAll('\\', '/')}/${longName}`;

/** What the origin holds (the manifest) and which files landed in the space. */
export const originFiles: { rel: string; size: number; landed: boolean }[] = [
  { rel: 'notes.txt', size: 2048, landed: true },
  { rel: 'plan.docx', size: 1_258_291, landed: true },
  { rel: 'Finance/budget é.xlsx', size: 18_432, landed: false },
  { rel: 'Finance/Ledger.xlsx', size: 40_960, landed: false },
  { rel: 'Finance/old.csv', size: 512, landed: true },
  { rel: 'Projects/site survey.pdf', size: 1024, landed: false },
  { rel: longRel, size: 100, landed: false },
];

export const originMtimeNs = 1_759_413_600_000_000_000n;

const rule = '-'.repeat(79);
const stamp = (minute: number, second: number) => `2026/10/02 14:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}`;
const fileLine = (status: string, size: string, name: string) => `\t    ${status.padEnd(10)}\t\t${size.padStart(8)}\t${name}`;
const folderLine = (count: number, folder: string) => `\t${String(count).padStart(19)}\t${origin}${folder}`;
const inUse = 'The process cannot access the file because it is being used by another process.';

/** `attempts` errors on one file, a retry between each, then RETRY LIMIT EXCEEDED (or a final success). */
function attempts(code: number, windowsPath: string, message: string, count: number, outcome: 'limit' | 'copied', name: string, size: string): string[] {
  const hex = `0x${code.toString(16).toUpperCase().padStart(8, '0')}`;
  const lines: string[] = [];
  for (let attempt = 0; attempt < count; attempt++) {
    lines.push(`${stamp(2 + attempt, 30)} ERROR ${code} (${hex}) Copying File ${windowsPath}`, message);
    if (attempt < count - 1 || outcome === 'copied') lines.push('Waiting 30 seconds... Retrying...', fileLine('New File', size, name));
  }
  if (outcome === 'limit') lines.push('', 'ERROR: RETRY LIMIT EXCEEDED.', '');
  return lines;
}

export interface LogOptions {
  /** Add a failure for an Excel lock file no inventory lists and that never landed: the summary then reports 5. */
  unmatchable?: boolean;
}

/** The log's text (lines joined with CRLF, as Windows writes them). */
export function robocopyLogText(options: LogOptions = {}): string {
  const failed = options.unmatchable ? 5 : 4;
  const lines = [
    rule,
    '   ROBOCOPY     ::     Robust File Copy for Windows                              ',
    rule,
    '',
    '  Started : Friday, 2 October 2026 14:02:11',
    `   Source : ${origin}`,
    `     Dest : ${dest}`,
    '',
    '    Files : *.*',
    '',
    '  Options : *.* /S /E /DCOPY:DA /COPY:DAT /Z /R:2 /W:30 /NP /UNILOG:C:\\Users\\mike\\robocopy-mdt.log',
    '',
    rule.slice(1),
    '',
    folderLine(2, ''),
    fileLine('New File', '2048', 'notes.txt'),
    fileLine('Newer', '1.2 m', 'plan.docx'),
    folderLine(options.unmatchable ? 4 : 3, 'Finance\\'),
    fileLine('New File', '18432', 'budget é.xlsx'),
    ...attempts(5, `${origin}Finance\\budget é.xlsx`, 'Access is denied.', 2, 'limit', 'budget é.xlsx', '18432'),
    fileLine('New File', '40960', 'Ledger.xlsx'),
    // The log spells the folder in lower case: Windows paths are case-insensitive.
    ...attempts(32, `${origin}finance\\LEDGER.xlsx`, inUse, 3, 'limit', 'Ledger.xlsx', '40960'),
    fileLine('Older', '512', 'old.csv'),
    ...attempts(32, `${origin}Finance\\old.csv`, inUse, 1, 'copied', 'old.csv', '512'),
    ...(options.unmatchable
      ? [fileLine('New File', '165', '~$Ledger.xlsx'), ...attempts(32, `${origin}Finance\\~$Ledger.xlsx`, inUse, 3, 'limit', '~$Ledger.xlsx', '165')]
      : []),
    folderLine(1, 'Projects\\'),
    fileLine('New File', '1024', 'site survey.pdf'),
    ...attempts(5, `${origin}Projects\\site survey.pdf`, 'Access is denied.', 3, 'limit', 'site survey.pdf', '1024'),
    folderLine(1, `${longFolder}\\`),
    fileLine('New File', '100', longName),
    ...attempts(32, `\\\\?\\${origin}${longFolder}\\${longName}`, inUse, 2, 'limit', longName, '100'),
    '',
    rule.slice(1),
    '',
    '               Total    Copied   Skipped  Mismatch    FAILED    Extras',
    '    Dirs :         4         4         0         0         0         0',
    `   Files :         ${failed + 3}         3         0         0         ${failed}         0`,
    '   Bytes :    1.25 m    1.20 m         0         0    58.6 k         0',
    '   Times :   0:03:12   0:00:01                       0:00:00   0:03:11',
    '',
    '',
    '   Speed :             1048576 Bytes/sec.',
    '   Speed :              60.000 MegaBytes/min.',
    '   Ended : Friday, 2 October 2026 14:05:23',
    '',
  ];
  return lines.join('\r\n');
}

/** As `robocopy /UNILOG:file` writes it: UTF-16LE with a byte-order mark. */
export function unilog(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

/** As `robocopy /LOG:file` writes it on a Western Windows: the ANSI code page. */
export function ansiLog(text: string, codePage = 'windows-1252'): Buffer {
  return iconv.encode(text, codePage);
}

export const encodings = [
  { name: 'UTF-16LE with BOM (/UNILOG)', encode: unilog, expected: 'utf-16le (byte-order mark)' },
  { name: 'windows-1252 (/LOG)', encode: (text: string) => ansiLog(text), expected: 'windows-1252 (code page)' },
] as const;

/** The origin manifest wintermute would have written for these files (reconcile-manifest v1, Windows paths). */
export function writeManifest(file: string): void {
  const header = { format: 'reconcile-manifest', version: 1, host: 'wintermute', root: 'C:\\Users\\mike\\MDT', pathStyle: 'windows', createdAt: '2026-10-02T14:00:00.000Z' };
  const entries = originFiles.map((entry) => ({ path: entry.rel, type: 'file', size: entry.size, mtimeNs: String(originMtimeNs) }));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, zlib.gzipSync([header, ...entries].map((line) => JSON.stringify(line)).join('\n')));
}

/** The files that landed, at the origin's size and mtime, under `landing`. */
export function writeLanded(landing: string): void {
  for (const entry of originFiles.filter((item) => item.landed)) {
    const file = path.join(landing, entry.rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.alloc(entry.size, 7));
    const seconds = Number(originMtimeNs / 1_000_000_000n);
    fs.utimesSync(file, seconds, seconds);
  }
}
