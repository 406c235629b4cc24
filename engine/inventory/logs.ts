/**
 * Transfer logs → per-file TransferEvents: rsync (--log-file, --itemize-changes, captured stderr),
 * robocopy /LOG, rclone --use-json-log. Only errors and warnings are kept; successful copies
 * would add millions of rows and say nothing the scan does not. Paths are made relative to the
 * source's origin so they meet catalog entries.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { UserError } from '../config/index.ts';
import type { Db } from '../db/index.ts';

export type TransferTool = 'rsync' | 'robocopy' | 'rclone';

export interface TransferEventRecord {
  lineNo: number;
  tool: TransferTool;
  level: 'error' | 'warning';
  relPath: string | null;
  code: string | null;
  message: string;
}

/** errno names from the wording tools print (strerror text is the same across macOS and Linux). */
const errnoByText: [RegExp, string][] = [
  [/Resource deadlock avoided/i, 'EDEADLK'],
  [/Permission denied/i, 'EACCES'],
  [/Operation not permitted/i, 'EPERM'],
  [/No such file or directory|file has vanished/i, 'ENOENT'],
  [/Input\/output error/i, 'EIO'],
  [/No space left on device/i, 'ENOSPC'],
  [/Operation timed out|timed out/i, 'ETIMEDOUT'],
  [/File name too long/i, 'ENAMETOOLONG'],
  [/Too many levels of symbolic links/i, 'ELOOP'],
  [/unexpected EOF/i, 'EOF'],
  [/throttl|activityLimitReached|429/i, 'THROTTLED'],
  [/failed verification/i, 'VERIFY'],
];

/** Windows error numbers robocopy prints. */
const windowsErrors: Record<number, string> = {
  2: 'ENOENT',
  3: 'ENOENT',
  5: 'EACCES',
  32: 'EBUSY',
  33: 'EBUSY',
  112: 'ENOSPC',
  121: 'ETIMEDOUT',
  362: 'CLOUD-PROVIDER',
  1392: 'EIO',
};

function codeFromText(text: string): string | null {
  return errnoByText.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}

export function detectTool(firstLines: string[]): TransferTool {
  if (firstLines.some((line) => /ROBOCOPY\s+::/.test(line) || /ERROR \d+ \(0x[0-9A-Fa-f]{8}\)/.test(line))) return 'robocopy';
  if (firstLines.some((line) => /^\s*\{.*"level"\s*:/.test(line))) return 'rclone';
  return 'rsync';
}

/** Turns an origin path into one relative to the origin root (case-insensitive for Windows). */
export function relativeToOrigin(pathText: string, origin: string | undefined, windows: boolean): string {
  let rel = pathText;
  if (origin) {
    const base = origin.replace(/[\\/]+$/, '');
    const matches = windows ? rel.toLowerCase().startsWith(base.toLowerCase()) : rel.startsWith(base);
    if (matches && (rel.length === base.length || /[\\/]/.test(rel[base.length] ?? ''))) rel = rel.slice(base.length);
  }
  if (windows) rel = rel.replaceAll('\\', '/');
  return rel.replace(/^\/+/, '').replace(/\/+$/, '');
}

const RSYNC_PREFIX = /^(?:\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \[\d+\] )?/;

export function parseRsyncLine(line: string, origin: string | undefined): Omit<TransferEventRecord, 'lineNo'> | undefined {
  const text = line.replace(RSYNC_PREFIX, '');
  const quoted = /"([^"]+)"/.exec(text)?.[1];
  const rel = (value: string | undefined) => (value === undefined ? null : relativeToOrigin(value, origin, false));
  if (/^file has vanished: /.test(text)) return { tool: 'rsync', level: 'warning', relPath: rel(quoted), code: 'ENOENT', message: text };
  if (/^rsync: /.test(text)) {
    // rsync: [sender] read errors mapping "/path": Resource deadlock avoided (11)
    return { tool: 'rsync', level: 'error', relPath: rel(quoted), code: codeFromText(text), message: text };
  }
  const verification = /^(WARNING|ERROR): (.+?) failed verification/.exec(text);
  if (verification) {
    return { tool: 'rsync', level: verification[1] === 'ERROR' ? 'error' : 'warning', relPath: rel(verification[2]), code: 'VERIFY', message: text };
  }
  if (/^rsync error: /.test(text)) {
    const exitCode = /\(code (\d+)\)/.exec(text)?.[1];
    return { tool: 'rsync', level: 'error', relPath: null, code: exitCode ? `RSYNC${exitCode}` : null, message: text };
  }
  return undefined;
}

export function parseRcloneLine(line: string): Omit<TransferEventRecord, 'lineNo'> | undefined {
  let record: { level?: unknown; msg?: unknown; object?: unknown };
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  const level = record.level === 'error' || record.level === 'critical' ? 'error' : record.level === 'warning' ? 'warning' : undefined;
  if (!level || typeof record.msg !== 'string') return undefined;
  return {
    tool: 'rclone',
    level,
    relPath: typeof record.object === 'string' && record.object !== '' ? record.object : null,
    code: codeFromText(record.msg),
    message: record.msg,
  };
}

/** Parses one log file; robocopy errors span two lines (the error, then Windows' message). */
export async function parseTransferLog(file: string, origin?: string, tool?: TransferTool): Promise<TransferEventRecord[]> {
  let stream: fs.ReadStream;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    stream = fs.createReadStream(file);
  } catch (error) {
    throw new UserError(`transfer log ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const events: TransferEventRecord[] = [];
  const head: string[] = [];
  let detected = tool;
  let lineNo = 0;
  let robocopyPending: TransferEventRecord | undefined;
  const pendingLines: { lineNo: number; text: string }[] = [];
  const handle = (lineNumber: number, text: string) => {
    if (detected === 'rclone') {
      const event = parseRcloneLine(text);
      if (event) events.push({ lineNo: lineNumber, ...event });
    } else if (detected === 'robocopy') {
      if (robocopyPending) {
        if (text.trim() !== '') robocopyPending.message += ` ${text.trim()}`;
        events.push(robocopyPending);
        robocopyPending = undefined;
        return;
      }
      const match = /ERROR (\d+) \(0x[0-9A-Fa-f]{8}\) (.+?) (?:File|Directory) (.+)$/.exec(text) ?? /ERROR (\d+) \(0x[0-9A-Fa-f]{8}\) ([^:]+?)\s*(.*)$/.exec(text);
      if (match) {
        const number = Number(match[1]);
        robocopyPending = {
          lineNo: lineNumber,
          tool: 'robocopy',
          level: 'error',
          relPath: match[3] ? relativeToOrigin(match[3].trim(), origin, true) : null,
          code: windowsErrors[number] ?? `WIN${number}`,
          message: text.trim(),
        };
      } else if (/^ERROR: RETRY LIMIT EXCEEDED/.test(text.trim())) {
        const last = events.at(-1);
        if (last) last.message += ' (retry limit exceeded)';
      }
    } else {
      const event = parseRsyncLine(text, origin);
      if (event) events.push({ lineNo: lineNumber, ...event });
    }
  };
  for await (const line of readline.createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNo++;
    if (detected === undefined) {
      head.push(line);
      pendingLines.push({ lineNo, text: line });
      if (head.length < 20) continue;
      detected = detectTool(head);
      for (const pending of pendingLines.splice(0)) handle(pending.lineNo, pending.text);
      continue;
    }
    handle(lineNo, line);
  }
  if (detected === undefined) {
    detected = detectTool(head);
    for (const pending of pendingLines.splice(0)) handle(pending.lineNo, pending.text);
  }
  if (robocopyPending) events.push(robocopyPending);
  return events;
}

/** Replaces the events of one log file for a source (re-importing a log is idempotent). */
export async function importTransferLog(db: Db, sourceId: string, file: string, origin?: string): Promise<{ file: string; events: number }> {
  const events = await parseTransferLog(file, origin);
  const insert = db.prepare(
    'INSERT INTO TransferEvent (sourceId, logFile, lineNo, tool, level, relPath, code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    db.prepare('DELETE FROM TransferEvent WHERE sourceId = ? AND logFile = ?').run(sourceId, file);
    for (const event of events) insert.run(sourceId, file, event.lineNo, event.tool, event.level, event.relPath, event.code, event.message);
  })();
  return { file, events: events.length };
}
