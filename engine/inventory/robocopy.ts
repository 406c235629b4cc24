/**
 * robocopy logs (/LOG, /UNILOG, /TEE captures), line by line. A log holds one job per
 * `ROBOCOPY :: Robust File Copy for Windows` banner (/LOG+ appends jobs), each with
 *
 *   a header  `Source : C:\Users\mike\MDT\`, `Dest : \\motoko\space\inbox\wm\`, Files, Options;
 *   a body    folder lines `\t   12\tC:\...\Projects\`, file lines `\t    New File  \t\t  1024\tx.pdf`
 *             (or `100%  New File  1024  C:\full\path` with /FP or /MT), and errors on two lines:
 *             `2026/10/02 14:02:28 ERROR 32 (0x00000020) Copying File C:\...\Ledger.xlsx`
 *             then Windows' message, then `Waiting 30 seconds... Retrying...` before each retry
 *             or `ERROR: RETRY LIMIT EXCEEDED.` after the last attempt;
 *   a summary `Total Copied Skipped Mismatch FAILED Extras` with rows Dirs, Files, Bytes
 *             (`12.34 g` with units unless /BYTES), Times, then Speed and Ended.
 *
 * Only errors are kept: a file's attempts fold into one record whose outcome says whether the file
 * failed (retry limit, or no retry asked), was copied on a retry, or was left mid-retry when the
 * log ends without a summary. Localised logs (`FEHLER 5 (0x00000005) ...`) keep their codes; their
 * summary rows are read by position.
 */
import { detach } from './log-text.ts';

export interface RobocopyRow {
  total: number;
  copied: number;
  skipped: number;
  mismatch: number;
  failed: number;
  extras: number;
}

export interface RobocopyJob {
  /** Line of the job's banner (1 for a capture that starts mid-job). */
  line: number;
  source?: string;
  dest?: string;
  /** /MT: files are copied in parallel, so their lines interleave. */
  multiThreaded?: boolean;
  summary?: { line: number; dirs?: RobocopyRow; files?: RobocopyRow; bytes?: RobocopyRow };
}

export interface RobocopyError {
  /** Line of the last attempt's ERROR line. */
  lineNo: number;
  job: number;
  windowsCode: number;
  /** `Copying File`, `Accessing Source Directory`, ... as the log words it. */
  operation: string;
  /** The path as the log prints it (null when the line names none). */
  path: string | null;
  target: 'file' | 'dir';
  /** The error line and Windows' message. */
  message: string;
  attempts: number;
  /** failed: retry limit reached or no retry; recovered: a retry succeeded; interrupted: the log ends while retrying. */
  outcome: 'failed' | 'recovered' | 'interrupted';
}

const bannerLine = /^\s*ROBOCOPY\s+::/;
const ruleLine = /^\s*-{20,}\s*$/;
const timestamp = String.raw`(?:\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}\s+)?`;
// The word ERROR is localised (FEHLER, ERREUR, 错误); the decimal and hex codes are not.
const errorLine = new RegExp(String.raw`^${timestamp}\S+\s+(\d+)\s+\(0x([0-9A-Fa-f]{8})\)[ \t]+(.*)$`);
const retryLine = /^\s*Waiting\s+\d+\s+seconds\.\.\./i;
const retryLimitLine = /^\s*ERROR\s*:\s*RETRY LIMIT EXCEEDED/i;
const summaryHeader = /^\s*Total\s+Copied\s+Skipped\s+Mismatch\s+FAILED\s+Extras\s*$/i;
const summaryRow = /^\s*([^:]+?)\s*:\s*(.+)$/;
/** Where a path starts in an error line: a drive (`C:\`), a UNC or long-path prefix (`\\`). */
const pathStart = /(?:^|[ \t])([A-Za-z]:[\\/]|\\\\)/;
const unitFactor: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
const rowNames = ['dirs', 'files', 'bytes'] as const;

/** The six numbers of a summary row (`12.34 g` counts as one); undefined for anything else (Times, Speed). */
export function summaryValues(text: string): RobocopyRow | undefined {
  const tokens = text.trim().split(/\s+/);
  const values: number[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (!/^\d+(?:[.,]\d+)?$/.test(token)) return undefined;
    const number = Number(token.replace(',', '.'));
    const unit = tokens[index + 1]?.toLowerCase();
    if (unit !== undefined && unit in unitFactor) {
      values.push(Math.round(number * unitFactor[unit]!));
      index++;
    } else values.push(number);
  }
  if (values.length !== 6) return undefined;
  const [total, copied, skipped, mismatch, failed, extras] = values as [number, number, number, number, number, number];
  return { total, copied, skipped, mismatch, failed, extras };
}

/** Splits `Copying File C:\x\y.txt` into the operation and the path. */
export function splitOperation(rest: string): { operation: string; path: string | null } {
  const start = pathStart.exec(rest);
  if (start) {
    const at = start.index + start[0].length - start[1]!.length;
    return { operation: rest.slice(0, at).trim(), path: rest.slice(at).trim() };
  }
  const keyword = /^(.*?\b(?:File|Directory))[ \t]+(.+)$/.exec(rest);
  if (keyword) return { operation: keyword[1]!.trim(), path: keyword[2]!.trim() };
  return { operation: rest.trim(), path: null };
}

type Section = 'header' | 'body' | 'summary';

export class RobocopyLogParser {
  readonly jobs: RobocopyJob[] = [{ line: 1 }];
  readonly errors: RobocopyError[] = [];
  private section: Section = 'body';
  private headerFields = 0;
  private summaryRows = 0;
  /** The error whose message or outcome lines are still to come. */
  private pending: { error: RobocopyError; awaiting: 'message' | 'outcome' } | undefined;
  /** Errors of this job whose last attempt was followed by a retry, by path. */
  private retrying = new Map<string, RobocopyError>();

  private get job(): RobocopyJob {
    return this.jobs.at(-1)!;
  }

  line(lineNo: number, text: string): void {
    if (this.pending && this.continuePending(text)) return;
    // Most lines of a log are folder and file lines, which start with a tab: nothing else does.
    if (text.charCodeAt(0) === 9) {
      if (this.retrying.size > 0) this.listedLine(text);
      return;
    }
    if (bannerLine.test(text)) {
      this.endJob();
      // A capture's first banner opens the job that line 1 already started.
      if (this.jobs.length > 1 || this.errors.length > 0 || this.job.source !== undefined || this.job.summary) this.jobs.push({ line: lineNo });
      else this.job.line = lineNo;
      this.section = 'header';
      this.headerFields = 0;
      return;
    }
    const error = errorLine.exec(text);
    if (error && Number.parseInt(error[2]!, 16) === Number(error[1])) {
      this.startError(lineNo, Number(error[1]), error[3]!, text.trim());
      return;
    }
    if (retryLine.test(text) || retryLimitLine.test(text)) return;
    if (ruleLine.test(text)) {
      if (this.section === 'header' && this.headerFields > 0) this.section = 'body';
      else if (this.section === 'body' && (this.errors.length > 0 || this.job.source !== undefined)) this.enterSummary(lineNo);
      return;
    }
    if (this.section === 'header') this.headerLine(text);
    else if (this.section === 'summary' || summaryHeader.test(text)) this.summaryLine(lineNo, text);
    else if (this.retrying.size > 0) this.listedLine(text);
  }

  /** A folder or file line: its last tab-separated field is the name (or, with /FP or /MT, the path). */
  private listedLine(text: string): void {
    const listed = /^\s.*\t([^\t]+?)\s*$/.exec(text);
    if (listed) this.retriedFileDone(listed[1]!);
  }

  /** Closes the log: errors still waiting for their outcome get one. */
  end(): void {
    this.endJob();
    this.errors.sort((a, b) => a.lineNo - b.lineNo);
  }

  private headerLine(text: string): void {
    const field = /^\s*(Source|Dest)\s*[:=-]\s*(.+?)\s*$/i.exec(text);
    if (field) {
      if (field[1]!.toLowerCase() === 'source') this.job.source = detach(field[2]!);
      else this.job.dest = detach(field[2]!);
    }
    if (/^\s*Options\s*:.*\/MT\b/i.test(text)) this.job.multiThreaded = true;
    if (/^\s*\S[^:]*:/.test(text)) this.headerFields++;
  }

  private enterSummary(lineNo: number): void {
    this.section = 'summary';
    this.summaryRows = 0;
    this.job.summary ??= { line: lineNo };
  }

  private summaryLine(lineNo: number, text: string): void {
    if (this.section !== 'summary') this.enterSummary(lineNo);
    if (summaryHeader.test(text)) {
      this.job.summary!.line = lineNo;
      return;
    }
    const row = summaryRow.exec(text);
    const values = row ? summaryValues(row[2]!) : undefined;
    if (!row || !values) return;
    const label = row[1]!.toLowerCase();
    // English labels name the row; a localised log's rows come in the same order.
    const name = (rowNames as readonly string[]).includes(label) ? (label as (typeof rowNames)[number]) : rowNames[this.summaryRows];
    this.summaryRows++;
    if (name) this.job.summary![name] = values;
  }

  private startError(lineNo: number, windowsCode: number, rest: string, text: string): void {
    const split = splitOperation(rest);
    const operation = detach(split.operation);
    const path = split.path === null ? null : detach(split.path);
    const target = /director|\bdir\b/i.test(operation) || (path !== null && /[\\/]$/.test(path)) ? 'dir' : 'file';
    if (path !== null) this.retriedFileDone(path);
    const key = path?.toLowerCase();
    const earlier = key === undefined ? undefined : this.retrying.get(key);
    if (key !== undefined) this.retrying.delete(key);
    const error: RobocopyError = {
      lineNo,
      job: this.jobs.length - 1,
      windowsCode,
      operation,
      path,
      target,
      message: detach(text),
      attempts: (earlier?.attempts ?? 0) + 1,
      outcome: 'failed',
    };
    this.pending = { error, awaiting: 'message' };
  }

  /** Feeds a line to the pending error; false when the line is not about it and must be read on its own. */
  private continuePending(text: string): boolean {
    const pending = this.pending!;
    if (text.trim() === '') return true;
    if (pending.awaiting === 'message' && isMessageLine(text)) {
      pending.error.message += ` ${detach(text.trim())}`;
      pending.awaiting = 'outcome';
      return true;
    }
    this.pending = undefined;
    if (retryLine.test(text)) {
      if (pending.error.path !== null) this.retrying.set(pending.error.path.toLowerCase(), pending.error);
      return true;
    }
    if (retryLimitLine.test(text)) {
      this.settle(pending.error, 'failed', true);
      return true;
    }
    // No retry followed (/R:0, or robocopy does not retry this error).
    this.settle(pending.error, 'failed');
    return false;
  }

  private settle(error: RobocopyError, outcome: RobocopyError['outcome'], retryLimit = false): void {
    error.outcome = outcome;
    const failedAttempts = error.attempts > 1 ? `${error.attempts} attempts` : '';
    if (outcome === 'recovered') error.message += ` (copied on a later attempt; ${error.attempts} failed)`;
    else if (outcome === 'interrupted') error.message += ` (the log ends while robocopy waited to retry${failedAttempts ? `, after ${failedAttempts}` : ''})`;
    else if (retryLimit) error.message += ` (retry limit exceeded${failedAttempts ? ` after ${failedAttempts}` : ''})`;
    else if (failedAttempts) error.message += ` (after ${failedAttempts})`;
    this.errors.push(error);
  }

  /** Without /MT robocopy copies one file at a time: a line about another file means a retried one got through. */
  private retriedFileDone(name: string): void {
    if (this.job.multiThreaded || this.retrying.size === 0) return;
    const lower = name.toLowerCase();
    for (const [key, error] of this.retrying) {
      if (key === lower || key.endsWith(`\\${lower}`)) continue;
      this.retrying.delete(key);
      this.settle(error, 'recovered');
    }
  }

  private endJob(): void {
    if (this.pending) {
      this.settle(this.pending.error, 'failed');
      this.pending = undefined;
    }
    // A retried file that met no further error was copied, if the job ran to its summary.
    const outcome = this.job.summary ? 'recovered' : 'interrupted';
    for (const error of this.retrying.values()) this.settle(error, outcome);
    this.retrying.clear();
  }
}

/** Windows' message line: starts in column 0 and is none of robocopy's own line shapes. */
function isMessageLine(text: string): boolean {
  return /^\S/.test(text) && !errorLine.test(text) && !retryLine.test(text) && !retryLimitLine.test(text) && !bannerLine.test(text) && !ruleLine.test(text) && !/^\d+(?:\.\d+)?%/.test(text);
}
