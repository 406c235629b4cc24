/**
 * Importing a transfer log for a source: its events' paths matched to origin or space entries
 * (log-paths.ts) and stored as TransferEvents; a line that names nothing the source has, and a
 * robocopy summary that reports more failures than could be matched, become import warnings
 * (warnings.ts) — never findings.
 */
import type { Db } from '../db/index.ts';
import type { LogEncoding } from './log-text.ts';
import { matchLogPaths, type LogPathMatch, type PlacedPath } from './log-paths.ts';
import { readTransferLog, type ParsedTransferLog, type TransferTool } from './logs.ts';
import { replaceImportWarnings, type ImportWarning } from './warnings.ts';

export interface LogSource {
  id: string;
  origin?: string;
  /** The source's `logEncoding`. */
  logEncoding?: string;
}

export interface TransferLogImport {
  file: string;
  tool: TransferTool;
  /** The encoding the log was read in, and why. */
  encoding: LogEncoding;
  /** Events stored: errors and warnings (and robocopy errors a retry overcame). */
  events: number;
  /** Events whose path names an origin or space entry of the source, and those whose path names nothing it has. */
  matched: number;
  unmatched: number;
  warnings: ImportWarning[];
}

/** Unmatched lines kept as one warning each; the rest are counted in one more. */
const unmatchedKept = 50;

/** Replaces the events and warnings of one log file for a source (re-importing a log is idempotent). */
export async function importTransferLog(db: Db, source: LogSource, file: string): Promise<TransferLogImport> {
  const parsed = await readTransferLog(file, { origin: source.origin, codePage: source.logEncoding });
  const placed = parsed.events.map((event): PlacedPath | undefined => (event.relPath === null ? undefined : { rel: event.relPath, side: event.side ?? 'origin' }));
  const matches = matchLogPaths(db, source.id, placed);
  const warning = (lineNo: number | null, kind: ImportWarning['kind'], message: string, detail: Record<string, unknown>): ImportWarning => ({
    sourceId: source.id,
    file,
    lineNo,
    kind,
    message,
    detail,
  });
  const warnings: ImportWarning[] = [];
  let matched = 0;
  let unmatched = 0;
  parsed.events.forEach((event, index) => {
    const match = matches[index];
    if (match) {
      event.relPath = match.relPath;
      matched++;
      return;
    }
    const named = event.logPath !== undefined || (event.relPath !== null && event.relPath !== '');
    const placedRel = event.relPath;
    event.relPath = null;
    // A file robocopy copied on a retry needs nobody's attention, matched or not.
    if (!named || placedRel === '' || event.level === 'info') return;
    unmatched++;
    if (unmatched > unmatchedKept) return;
    const shown = event.logPath ?? placedRel!;
    const what = event.code ? `its ${event.level} (${event.code})` : `its ${event.level}`;
    const message =
      placedRel === null
        ? `line ${event.lineNo} names ${shown}, outside the origin ${source.origin ?? '(none configured)'}: ${what} is attached to no file`
        : `line ${event.lineNo} names ${shown}, which matches no origin entry and no file in the space: ${what} is attached to no file`;
    warnings.push(warning(event.lineNo, 'unmatched-path', message, { tool: event.tool, code: event.code, path: shown, line: event.message }));
  });
  if (unmatched > unmatchedKept) {
    warnings.push(warning(null, 'unmatched-paths', `${unmatched - unmatchedKept} more lines name paths that match no origin entry and no file in the space`, { count: unmatched }));
  }
  if (parsed.tool === 'robocopy') warnings.push(...summaryWarnings(parsed, matches, warning));
  const insert = db.prepare(
    'INSERT INTO TransferEvent (sourceId, logFile, lineNo, tool, level, relPath, code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    db.prepare('DELETE FROM TransferEvent WHERE sourceId = ? AND logFile = ?').run(source.id, file);
    for (const event of parsed.events) insert.run(source.id, file, event.lineNo, event.tool, event.level, event.relPath, event.code, event.message);
    replaceImportWarnings(db, source.id, file, warnings);
  })();
  return {
    file,
    tool: parsed.tool,
    encoding: parsed.encoding,
    events: parsed.events.length,
    matched,
    unmatched,
    warnings,
  };
}

/** robocopy's own count of failures against the failed files and folders that could be matched. */
function summaryWarnings(
  parsed: ParsedTransferLog,
  matches: (LogPathMatch | undefined)[],
  warning: (lineNo: number | null, kind: ImportWarning['kind'], message: string, detail: Record<string, unknown>) => ImportWarning,
): ImportWarning[] {
  const warnings: ImportWarning[] = [];
  parsed.robocopyJobs.forEach((job, jobIndex) => {
    const summary = job.summary;
    if (!summary) {
      const hasContent = job.source !== undefined || parsed.events.some((event) => event.robocopy?.job === jobIndex);
      if (hasContent) {
        warnings.push(
          warning(job.line, 'no-summary', "the log ends without robocopy's summary table (the copy was interrupted, or the log cut short): failures it met later are not in the log", {
            job: jobIndex,
          }),
        );
      }
      return;
    }
    for (const [row, target, label] of [
      ['files', 'file', 'Files'],
      ['dirs', 'dir', 'Dirs'],
    ] as const) {
      const reported = summary[row]?.failed ?? 0;
      if (reported === 0) continue;
      const failed = new Set<string>();
      parsed.events.forEach((event, index) => {
        const match = matches[index];
        const info = event.robocopy;
        if (match && info && info.job === jobIndex && info.target === target && info.outcome !== 'recovered') failed.add(match.relPath.toLowerCase());
      });
      if (failed.size >= reported) continue;
      const noun = target === 'file' ? (reported === 1 ? 'failure' : 'failures') : reported === 1 ? 'failed folder' : 'failed folders';
      warnings.push(
        warning(summary.line, 'summary-mismatch', `the log reports ${reported} ${noun}; ${failed.size} could be matched (robocopy summary: ${label} FAILED ${reported})`, {
          job: jobIndex,
          row: label,
          reported,
          matched: failed.size,
        }),
      );
    }
  });
  return warnings;
}
