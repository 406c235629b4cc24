/** unreadable: entries the scan could not read, and folders a transfer could not read at the origin. */
import type { ClassifyRun } from './run.ts';

const permissionCodes = ['EACCES', 'EPERM', 'EIO'];
const permissionMessage = /operation not permitted|permission denied|access is denied|input\/output error/i;

export function classifyUnreadable(run: ClassifyRun): void {
  const { catalog } = run;
  for (const row of catalog.entries('e.errorCode IS NOT NULL')) {
    if (run.isOurs(row)) continue;
    run.claim(row);
    run.emit({
      kind: 'unreadable',
      rule: `scan-${row.errorCode!.toLowerCase()}`,
      files: [catalog.fileRef(row)],
      evidence: { errorCode: row.errorCode, errorMessage: row.errorMessage, type: row.type },
    });
  }
  const events = catalog.db
    .prepare(
      `SELECT sourceId, relPath, MIN(lineNo) AS lineNo, MIN(logFile) AS logFile, MIN(tool) AS tool, MIN(code) AS code,
              MIN(message) AS message
         FROM TransferEvent
        WHERE relPath IS NOT NULL AND level = 'error'
        GROUP BY sourceId, relPath
        ORDER BY sourceId, relPath`,
    )
    .iterate() as IterableIterator<TransferEventRow>;
  for (const event of events) {
    if (!isPermissionError(event)) continue;
    const source = catalog.sources.get(event.sourceId);
    if (!source) continue;
    run.emit({
      kind: 'unreadable',
      rule: `transfer-${(event.code ?? 'eacces').toLowerCase()}`,
      files: [],
      paths: [`${source.root}/${event.relPath.replace(/\/+$/, '')}`],
      sources: [event.sourceId],
      evidence: {
        origin: source.origin ? joinOrigin(source.origin, event.relPath) : undefined,
        log: event.logFile,
        line: event.lineNo,
        tool: event.tool,
        code: event.code,
        message: event.message,
      },
    });
  }
}

export interface TransferEventRow {
  sourceId: string;
  relPath: string;
  lineNo: number;
  logFile: string;
  tool: string;
  code: string | null;
  message: string;
}

function isPermissionError(event: TransferEventRow): boolean {
  return event.code ? permissionCodes.includes(event.code.toUpperCase()) : permissionMessage.test(event.message);
}

/** The origin host's own spelling of a path under its root (Windows roots keep backslashes). */
export function joinOrigin(origin: string, relPath: string): string {
  if (/^[A-Za-z]:\\|^\\\\/.test(origin)) return `${origin.replace(/\\+$/, '')}\\${relPath.replaceAll('/', '\\')}`;
  if (/:$/.test(origin)) return `${origin}${relPath}`;
  return `${origin.replace(/\/+$/, '')}/${relPath}`;
}
