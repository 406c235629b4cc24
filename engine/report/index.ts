/** engine/report: the audit report of an apply run and its renderings. */
export { buildReport, type Report, type ReportItem } from './build.ts';
export { renderReport, renderMarkdown, renderHtml, renderCsv, renderCommsLog, commsLogId, reportFormats, type ReportFormat } from './render.ts';
export { appendCommsLog, type AppendResult } from './comms-log.ts';
export { renderGuardrails } from './guardrails.ts';
