/**
 * Transfer logs → per-file events: rsync (--log-file, --itemize-changes, captured stderr), robocopy
 * (/LOG, /UNILOG; see robocopy.ts), rclone --use-json-log, in whatever encoding they were written
 * (log-text.ts). Only errors and warnings are kept, plus robocopy errors a retry overcame (as
 * info); successful copies would add millions of rows and say nothing the scan does not. Paths
 * are placed under the source's origin here; log-import.ts matches them to entries and stores.
 */
import { defaultLogEncoding, detach, NotUtf8Error, openLogLines, type LogEncoding } from './log-text.ts';
import { placePosixPath, placeWindowsPath } from './log-paths.ts';
import { RobocopyLogParser, type RobocopyError, type RobocopyJob } from './robocopy.ts';

export type TransferTool = 'rsync' | 'robocopy' | 'rclone';

export interface TransferEventRecord {
  lineNo: number;
  tool: TransferTool;
  level: 'error' | 'warning' | 'info';
  /**
   * The path the line names, relative to the origin root (to the landing when `side` is 'space');
   * after an import, the matched entry's own spelling, or null when it names nothing the source has.
   */
  relPath: string | null;
  code: string | null;
  message: string;
  /** The path exactly as the line prints it. */
  logPath?: string;
  /** Set for a robocopy destination-side path (relative to the landing, not the origin). */
  side?: 'space';
  robocopy?: { job: number; target: 'file' | 'dir'; outcome: RobocopyError['outcome'] };
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

/**
 * Windows system error numbers robocopy prints, as the errno a POSIX tool would report for the
 * same failure (docs/reference/transfer-logs.md has the table). Unlisted numbers stay `WIN<n>`.
 */
const windowsErrors: Record<number, string> = {
  2: 'ENOENT', // ERROR_FILE_NOT_FOUND: gone between listing and copying
  3: 'ENOENT', // ERROR_PATH_NOT_FOUND
  5: 'EACCES', // ERROR_ACCESS_DENIED
  6: 'EBADF', // ERROR_INVALID_HANDLE
  15: 'ENOENT', // ERROR_INVALID_DRIVE
  19: 'EROFS', // ERROR_WRITE_PROTECT
  21: 'EIO', // ERROR_NOT_READY (device not ready)
  23: 'EIO', // ERROR_CRC (data error)
  32: 'EBUSY', // ERROR_SHARING_VIOLATION: open in another program
  33: 'EBUSY', // ERROR_LOCK_VIOLATION
  39: 'ENOSPC', // ERROR_HANDLE_DISK_FULL
  53: 'ENETUNREACH', // ERROR_BAD_NETPATH
  59: 'ENETDOWN', // ERROR_UNEXP_NET_ERR
  64: 'ECONNRESET', // ERROR_NETNAME_DELETED
  67: 'ENETUNREACH', // ERROR_BAD_NET_NAME
  87: 'EINVAL', // ERROR_INVALID_PARAMETER
  112: 'ENOSPC', // ERROR_DISK_FULL
  121: 'ETIMEDOUT', // ERROR_SEM_TIMEOUT
  123: 'EINVAL', // ERROR_INVALID_NAME: a name Windows cannot open (trailing dot or space, reserved character)
  206: 'ENAMETOOLONG', // ERROR_FILENAME_EXCED_RANGE
  362: 'DATALESS', // ERROR_CLOUD_FILE_PROVIDER_NOT_RUNNING: a OneDrive cloud-only file that could not be fetched
  1117: 'EIO', // ERROR_IO_DEVICE
  1224: 'EBUSY', // ERROR_USER_MAPPED_FILE
  1231: 'ENETUNREACH', // ERROR_NETWORK_UNREACHABLE
  1314: 'EPERM', // ERROR_PRIVILEGE_NOT_HELD
  1326: 'EACCES', // ERROR_LOGON_FAILURE
  1392: 'EIO', // ERROR_FILE_CORRUPT
  1920: 'EACCES', // ERROR_CANT_ACCESS_FILE: a reparse point (cloud, WSL, app alias) the system cannot open
  1921: 'ELOOP', // ERROR_CANT_RESOLVE_FILENAME
};

export function windowsErrorCode(number: number): string {
  return windowsErrors[number] ?? `WIN${number}`;
}

function codeFromText(text: string): string | null {
  return errnoByText.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}

const robocopyError = /^(?:\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\s+)?\S+\s+(\d+)\s+\(0x([0-9A-Fa-f]{8})\)\s/;

export function detectTool(firstLines: string[]): TransferTool {
  const isRobocopyError = (line: string) => {
    const match = robocopyError.exec(line);
    return match !== null && Number.parseInt(match[2]!, 16) === Number(match[1]);
  };
  if (firstLines.some((line) => /ROBOCOPY\s+::/.test(line) || isRobocopyError(line))) return 'robocopy';
  if (firstLines.some((line) => /^\s*\{.*"level"\s*:/.test(line))) return 'rclone';
  return 'rsync';
}

const RSYNC_PREFIX = /^(?:\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \[\d+\] )?/;

type ParsedLine = Omit<TransferEventRecord, 'lineNo'>;

function posixPath(value: string | undefined, origin: string | undefined): Pick<TransferEventRecord, 'relPath' | 'logPath'> {
  if (value === undefined) return { relPath: null };
  return { relPath: placePosixPath(value, origin)?.rel ?? null, logPath: value };
}

export function parseRsyncLine(line: string, origin: string | undefined): ParsedLine | undefined {
  const text = line.replace(RSYNC_PREFIX, '');
  const quoted = /"([^"]+)"/.exec(text)?.[1];
  if (/^file has vanished: /.test(text)) return { tool: 'rsync', level: 'warning', ...posixPath(quoted, origin), code: 'ENOENT', message: text };
  if (/^rsync: /.test(text)) {
    // rsync: [sender] read errors mapping "/path": Resource deadlock avoided (11)
    return { tool: 'rsync', level: 'error', ...posixPath(quoted, origin), code: codeFromText(text), message: text };
  }
  const verification = /^(WARNING|ERROR): (.+?) failed verification/.exec(text);
  if (verification) {
    return { tool: 'rsync', level: verification[1] === 'ERROR' ? 'error' : 'warning', ...posixPath(verification[2], origin), code: 'VERIFY', message: text };
  }
  if (/^rsync error: /.test(text)) {
    const exitCode = /\(code (\d+)\)/.exec(text)?.[1];
    return { tool: 'rsync', level: 'error', relPath: null, code: exitCode ? `RSYNC${exitCode}` : null, message: text };
  }
  return undefined;
}

export function parseRcloneLine(line: string): ParsedLine | undefined {
  let record: { level?: unknown; msg?: unknown; object?: unknown };
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  const level = record.level === 'error' || record.level === 'critical' ? 'error' : record.level === 'warning' ? 'warning' : undefined;
  if (!level || typeof record.msg !== 'string') return undefined;
  const object = typeof record.object === 'string' && record.object !== '' ? record.object : undefined;
  return { tool: 'rclone', level, ...posixPath(object, undefined), code: codeFromText(record.msg), message: record.msg };
}

/** A robocopy error as an event: its path placed under the origin (or the job's Source) or its Dest. */
function robocopyEvent(error: RobocopyError, job: RobocopyJob, origin: string | undefined): TransferEventRecord {
  // The configured origin is what inventories are relative to; the log's own Source only stands in without one.
  const placed =
    error.path === null ? undefined : placeWindowsPath(error.path, [{ root: origin ?? job.source, side: 'origin' }, { root: job.dest, side: 'space' }]);
  return {
    lineNo: error.lineNo,
    tool: 'robocopy',
    level: error.outcome === 'recovered' ? 'info' : 'error',
    relPath: placed?.rel ?? null,
    code: windowsErrorCode(error.windowsCode),
    message: error.message,
    ...(error.path === null ? {} : { logPath: error.path }),
    ...(placed?.side === 'space' ? { side: 'space' as const } : {}),
    robocopy: { job: error.job, target: error.target, outcome: error.outcome },
  };
}

export interface TransferLogOptions {
  /** The source's origin root as its host names it: log paths are made relative to it. */
  origin?: string;
  tool?: TransferTool;
  /** Code page of a log that has no byte-order mark and is not UTF-8 (default windows-1252). */
  codePage?: string;
}

export interface ParsedTransferLog {
  tool: TransferTool;
  encoding: LogEncoding;
  lines: number;
  events: TransferEventRecord[];
  /** robocopy only: each job's header paths and summary table. */
  robocopyJobs: RobocopyJob[];
}

/** Reads one log (streamed; a log that proves not to be UTF-8 is read again in the code page). */
export async function readTransferLog(file: string, options: TransferLogOptions = {}): Promise<ParsedTransferLog> {
  const codePage = options.codePage ?? defaultLogEncoding;
  try {
    return await readOnce(file, options, codePage, false);
  } catch (error) {
    if (error instanceof NotUtf8Error) return readOnce(file, options, codePage, true);
    throw error;
  }
}

async function readOnce(file: string, options: TransferLogOptions, codePage: string, skipUtf8: boolean): Promise<ParsedTransferLog> {
  const { encoding, batches } = await openLogLines(file, { codePage, skipUtf8 });
  const events: TransferEventRecord[] = [];
  const robocopy = new RobocopyLogParser();
  let tool = options.tool;
  let head: string[] = [];
  let lineNo = 0;
  const handle = (number: number, text: string) => {
    if (tool === 'robocopy') robocopy.line(number, text);
    else {
      const event = tool === 'rclone' ? parseRcloneLine(text) : parseRsyncLine(text, options.origin);
      if (event) {
        const { relPath, logPath, message } = event;
        events.push({ lineNo: number, ...event, relPath: relPath === null ? null : detach(relPath), message: detach(message), ...(logPath === undefined ? {} : { logPath: detach(logPath) }) });
      }
    }
  };
  const detect = () => {
    tool = detectTool(head);
    head.forEach((text, index) => handle(index + 1, text));
    head = [];
  };
  for await (const batch of batches) {
    for (const line of batch) {
      lineNo++;
      if (tool !== undefined) handle(lineNo, line);
      else {
        head.push(line);
        if (head.length === 20) detect();
      }
    }
  }
  if (tool === undefined) detect();
  if (tool === 'robocopy') {
    robocopy.end();
    for (const error of robocopy.errors) events.push(robocopyEvent(error, robocopy.jobs[error.job]!, options.origin));
  }
  return { tool: tool!, encoding, lines: lineNo, events, robocopyJobs: tool === 'robocopy' ? robocopy.jobs : [] };
}

/** Parses one log file into its events (paths relative to `origin`, not yet matched to entries). */
export async function parseTransferLog(file: string, origin?: string, options: Omit<TransferLogOptions, 'origin'> = {}): Promise<TransferEventRecord[]> {
  return (await readTransferLog(file, { ...options, origin })).events;
}
