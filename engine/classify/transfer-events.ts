/** Per-file errors from the transfer logs, one per (source, path): the first line that named it. */
import type { Db } from '../db/index.ts';
import { originPathOf } from '../inventory/index.ts';
import type { SourceInfo } from './catalog.ts';
import type { TransferLogEvidence } from './evidence.ts';

export interface TransferEventRow {
  sourceId: string;
  relPath: string;
  lineNo: number;
  logFile: string;
  tool: string;
  code: string | null;
  message: string;
}

export function* transferProblems(db: Db, levels: readonly string[]): Generator<TransferEventRow> {
  yield* db
    .prepare(
      `SELECT sourceId, relPath, MIN(lineNo) AS lineNo, MIN(logFile) AS logFile, MIN(tool) AS tool, MIN(code) AS code,
              MIN(message) AS message
         FROM TransferEvent
        WHERE relPath IS NOT NULL AND relPath <> '' AND level IN (SELECT value FROM json_each(?))
        GROUP BY sourceId, relPath
        ORDER BY sourceId, relPath`,
    )
    .iterate(JSON.stringify(levels)) as IterableIterator<TransferEventRow>;
}

/** The evidence a finding carries from a log line. */
export function logEvidence(source: SourceInfo, event: TransferEventRow): TransferLogEvidence {
  return {
    origin: source.origin ? joinOrigin(source.origin, event.relPath) : undefined,
    log: event.logFile,
    line: event.lineNo,
    tool: event.tool,
    code: event.code,
    message: event.message,
  };
}

/** The origin host's own spelling of a path under its root (Windows roots keep backslashes). */
export function joinOrigin(origin: string, relPath: string): string {
  return originPathOf(origin, relPath, /^[A-Za-z]:\\|^\\\\/.test(origin) ? 'windows' : 'posix');
}
