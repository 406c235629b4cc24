/**
 * Renderers of the report: Markdown with the platform's front matter (filed under docs/reports/),
 * HTML, CSV (one row per item), JSON, and the dated communication-log entry.
 */
import path from 'node:path';
import YAML from 'yaml';
import { formatBytes } from '../format.ts';
import type { Verification } from '../verify/index.ts';
import type { Report, ReportImportWarning, ReportInventory, ReportItem, ReportList } from './build.ts';
import { renderGuardrails } from './guardrails.ts';

export const reportFormats = ['md', 'html', 'json', 'csv', 'comms-log', 'guardrails'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export const initiative = 'space-consolidation-2026';

const day = (iso: string): string => iso.slice(0, 10);

/**
 * Names in the report come from other people's machines: a file may be called
 * `a<img src=x onerror=…>.txt`, hold a newline, backticks or a pipe. Markdown renderers pass HTML
 * through, so text is HTML-escaped and Markdown punctuation made literal; control characters are
 * shown as escapes so a name never ends a table row, a list item or a code block.
 */
const controlEscapes: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const visibleControls = (text: string): string =>
  // eslint-disable-next-line no-control-regex
  text.replace(/[\u0000-\u001f\u007f]/g, (char) => controlEscapes[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** Text for Markdown prose and table cells. */
export function markdownText(text: string): string {
  return visibleControls(text.replace(/[\\`*_[\]|~]/g, '\\$&'))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const longestBacktickRun = (text: string): number => (text.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);

/** An inline code span that no backtick in the text can close (HTML is not interpreted inside one). */
export function markdownCode(text: string): string {
  const shown = visibleControls(text);
  const fence = '`'.repeat(longestBacktickRun(shown) + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** A fenced block of lines, one item a line: the fence is longer than any backtick run inside. */
export function markdownBlock(lines: readonly string[]): string[] {
  return [...markdownBlockOf(() => lines)];
}

/** markdownBlock over a list read twice (for the fence, then for the lines), never held whole. */
function* markdownBlockOf(lines: () => Iterable<string>): Generator<string> {
  let longest = 3;
  for (const line of lines()) longest = Math.max(longest, longestBacktickRun(visibleControls(line)) + 1);
  const fence = '`'.repeat(longest);
  yield fence;
  for (const line of lines()) yield visibleControls(line);
  yield fence;
}

/** One origin inventory, dated: e.g. "mac: reconcile-manifest count-zero.jsonl.gz from count-zero, 126 entries, imported 2026-11-24T…". */
function inventoryLine(inventory: ReportInventory): string {
  const from = inventory.host ? ` from ${inventory.host}` : '';
  return `${inventory.source}: ${inventory.format} ${path.basename(inventory.file)}${from}, ${inventory.entries} entries, imported ${inventory.importedAt}`;
}

/** `wintermute-mdt, wintermute.log:71: the log reports 5 failures; 4 could be matched …` */
function importWarningLine(warning: ReportImportWarning): string {
  return `${warning.source}, ${path.basename(warning.file)}${warning.line === null ? '' : `:${warning.line}`}: ${warning.message}`;
}

const importWarningsNote = 'Not findings: what importing the sources\' manifests and transfer logs could not reconcile.';

/** What the per-source "by size + mtime only" count means (ADR 0003: weaker evidence is said so). */
export const weakMatchNote =
  'By size + mtime only: the origin inventory has no hash for these files, so they count as present because a space file has the same size ' +
  '(and modification time, where the inventory has one) — their content was not compared. Where that matters, import an inventory with hashes ' +
  '(`reconcile manifest --hash`, or `rclone lsjson -R --hash`).';

/** The communication-log entry id: the date plus a slug naming the run. */
export function commsLogId(report: Report): string {
  return `${day(report.run?.finishedAt ?? report.generatedAt)}-reconciliation-${report.run ? report.run.id.toLowerCase() : 'status'}`;
}

function verdictLine(report: Report): string {
  const verification = report.verification;
  if (!verification) return 'not verified yet';
  if (verification.outcome === 'outstanding') return `outstanding (${verification.origins.outstanding.files} origin entries to fetch)`;
  return verification.outcome === 'failed' ? 'FAILED' : 'complete';
}

/** The verification's sections as report lines (Markdown list items without the dash). */
function verificationLines(verification: Verification): string[] {
  const { operations, conservation, origins } = verification;
  return [
    `Operations: ${operations.checked} checked, ${operations.problemCount} problem(s)`,
    `Content conservation: ${conservation.contents} contents, ${conservation.inReconciliation} kept only in the archive or conflicts by a decision, ${conservation.lostCount} lost`,
    `Origin entries: ${origins.entries} — present ${origins.present} (${origins.weak} by size only), outstanding ${origins.outstanding.files} (${formatBytes(origins.outstanding.bytes)})`,
    `Read again: ${verification.read.files} files, ${formatBytes(verification.read.bytes)}`,
  ];
}

function decidedBy(item: ReportItem): string {
  if (item.verdict) return `${item.verdict} by ${item.decidedBy} on ${item.decidedAt?.slice(0, 16).replace('T', ' ')} UTC`;
  return `rule ${item.rule} (no decision yet)`;
}

function headline(report: Report): string {
  const run = report.run;
  if (!run) return 'Reconciliation status (no apply run yet)';
  return `Reconciliation run ${run.id}: ${run.doneCount} of ${run.opCount} operations done, verification ${verdictLine(report)}`;
}

export function renderCommsLog(report: Report): string {
  const run = report.run;
  const id = commsLogId(report);
  const what = run
    ? `apply run \`${run.id}\` (${run.status}) carried out ${run.decisions} approved decisions: ${run.doneCount} operations done, ` +
      `${run.skippedCount} skipped and flagged, ${run.failedCount} failed; ${report.duplicates.resolvedInRun} duplicates archived, ` +
      `${formatBytes(report.duplicates.bytesReclaimed)} reclaimed from working trees; verification ${verdictLine(report)}.`
    : 'no apply run yet; nothing in the space was moved.';
  const outstanding = report.recovery.reduce((sum, source) => sum + source.outstanding, 0);
  return [
    `## ${day(run?.finishedAt ?? report.generatedAt)} — ${headline(report)} {#${id}}`,
    '',
    `- **Id:** \`${id}\``,
    '- **Audience:** everyone using the SMB shares on `/space`',
    `- **What happened:** ${what}`,
    `- **What changes for you:** displaced copies are under \`archive/reconciliation/${run?.id ?? '<run>'}/\` and conflicting versions under the conflicts folder, at their old relative paths; nothing was deleted.` +
      (outstanding > 0 ? ` ${outstanding} origin entr${outstanding === 1 ? 'y is' : 'ies are'} still to fetch (reconcile recover lists them per source).` : ''),
    `- **Where to look:** \`docs/reports/${day(run?.createdAt ?? report.generatedAt)}-${run?.id ?? 'status'}.md\`, [rollback runbook](../runbooks/rollback-and-restore.md)`,
    '- **Contact:** the owner (Mike)',
    '',
  ].join('\n');
}

function* itemsTable(items: ReportList<ReportItem>, empty: string): Generator<string> {
  if (items.count === 0) return yield* [empty, ''];
  yield* ['| Paths | Proposal | Decided |', '| --- | --- | --- |'];
  for (const item of items.items()) yield `| ${item.paths.map(markdownText).join('<br>')} | ${markdownText(item.action ?? '—')} | ${markdownText(decidedBy(item))} |`;
  yield '';
}

/** Per source: what is still to fetch, fetched, placed and waived, with the entries and the command. */
function recoveryLines(report: Report): string[] {
  if (report.recovery.length === 0) return ['No sources.', ''];
  const lines = ['| Source | To fetch | Fetched, not placed | Placed | Waived |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const source of report.recovery) lines.push(`| ${markdownText(source.source)} | ${source.outstanding} | ${source.fetched} | ${source.placed} | ${source.waived} |`);
  lines.push('');
  for (const source of report.recovery.filter((each) => each.entries.length > 0)) {
    lines.push(`To fetch from ${markdownCode(source.source)}${source.command ? ` (${markdownCode(source.command)})` : source.script ? ` (run ${markdownCode(source.script)} on the origin host)` : ''}:`, '');
    for (const entry of source.entries) lines.push(`- ${entry.reason}: ${markdownCode(entry.path)}${entry.remedy ? ` — first: ${markdownText(entry.remedy)}` : ''}`);
    lines.push('');
  }
  return lines;
}

/** Lines joined by newlines, handed out in pieces of about 64 KiB. */
function* joinLines(lines: Iterable<string>): Generator<string> {
  let piece = '';
  let first = true;
  for (const line of lines) {
    piece += first ? line : `\n${line}`;
    first = false;
    if (piece.length >= 65_536) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

export function renderMarkdown(report: Report): Generator<string> {
  return joinLines(markdownLines(report));
}

function* markdownLines(report: Report): Generator<string> {
  const run = report.run;
  const frontMatter = YAML.stringify({
    document_title: run ? `Reconciliation report — run ${run.id}` : 'Reconciliation status report',
    author: `${report.generator}${run ? ` for ${run.createdBy}` : ''}`,
    last_updated: day(report.generatedAt),
    status: report.verification?.outcome === 'complete' ? 'active' : 'draft',
    related_initiatives: [initiative],
    linked_communications: [commsLogId(report)],
  });
  const lines: string[] = [`---\n${frontMatter}---`, '', `# ${markdownText(headline(report))}`, '', `Space: ${markdownCode(report.space)}. Generated ${report.generatedAt} by ${markdownText(report.generator)}.`, ''];
  lines.push('## Run', '');
  if (run) {
    lines.push(
      `- Run ${markdownCode(run.id)}, ${run.status}, started by ${markdownText(run.createdBy)} at ${run.createdAt}, finished ${run.finishedAt ?? '—'}`,
      `- ${run.opCount} operations: ${run.doneCount} done, ${run.skippedCount} skipped, ${run.failedCount} failed; ${formatBytes(Number(run.bytesDone))} copied`,
      `- Journal: ${markdownCode(run.journalPath)}`,
      '',
    );
  } else lines.push('No apply run yet.', '');
  lines.push('## Per-source completeness', '');
  if (report.completeness.length === 0) lines.push('No origin inventories imported.', '');
  else {
    lines.push('| Source | Files | Present | By size + mtime only | Missing | Placeholder | Partial |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const source of report.completeness) {
      const pct = (n: number) => (source.files ? `${((100 * n) / source.files).toFixed(1)}%` : '—');
      lines.push(
        `| ${markdownText(source.source)} | ${source.files} (${formatBytes(source.bytes)}) | ${source.present.files} (${pct(source.present.files)}) | ${source.weak.files} | ${source.missing.files} (${pct(source.missing.files)}) | ${source.placeholder.files} | ${source.partial.files} |`,
      );
    }
    lines.push('', weakMatchNote, '');
  }
  if (report.inventories.length > 0) {
    lines.push('Measured against these origin inventories (completeness is as good as their dates):', '');
    for (const inventory of report.inventories) lines.push(`- ${markdownText(inventoryLine(inventory))}`);
    lines.push('');
  }
  lines.push('## Import warnings', '');
  if (report.importWarnings.length === 0) lines.push('None.', '');
  else lines.push(importWarningsNote, '', ...report.importWarnings.map((warning) => `- ${markdownText(importWarningLine(warning))}`), '');
  lines.push(
    '## Duplicates',
    '',
    `- Resolved in this run: ${report.duplicates.resolvedInRun}, reclaiming ${formatBytes(report.duplicates.bytesReclaimed)} from working trees`,
    `- Still open: ${report.duplicates.open} (${formatBytes(report.duplicates.openReclaimableBytes)} reclaimable)`,
    '',
  );
  yield* lines;
  yield* ['## Conflicts', ''];
  yield* itemsTable(report.conflicts, 'No conflicts.');
  yield* ['## Placeholders outstanding', ''];
  yield* itemsTable(report.placeholders.outstanding, 'No placeholders outstanding.');
  yield* ['## Recovery from the origins', ''];
  yield* recoveryLines(report);
  for (const [title, list, empty] of [
    ['Partial files', report.partials, 'No partial files.'],
    ['Corrupt files', report.corrupt, 'No corrupt files.'],
    ['Unreadable entries', report.unreadable, 'No unreadable entries.'],
  ] as const) {
    yield* [`## ${title}`, ''];
    yield* itemsTable(list, empty);
  }
  yield* ['## Skipped and flagged operations', ''];
  if (report.flagged.count === 0) yield* ['None.', ''];
  else {
    for (const flag of report.flagged.items()) yield `- ${markdownText(flag.reason)}: ${markdownCode(flag.path)}`;
    yield '';
  }
  lines.length = 0;
  lines.push('## Invariant check', '', report.invariants.ok ? 'All invariants hold.' : '', ...report.invariants.violations.map((v) => `- **${markdownText(v.invariant)}**: ${markdownText(v.message)}`), '');
  lines.push('## Verification', '');
  const verification = report.verification;
  if (!verification) lines.push('Not verified yet (`reconcile verify`).', '');
  else {
    lines.push(
      `Outcome: **${verification.outcome === 'failed' ? 'FAILED' : verification.outcome}** (${verification.runId ? `run \`${verification.runId}\`` : 'the whole space'}, checked ${verification.checkedAt})`,
      '',
      ...verificationLines(verification).map((line) => `- ${line}`),
      '',
    );
    for (const lost of verification.conservation.lost) {
      lines.push(`- **${lost.reason}**: \`${lost.hash ?? 'unhashed file'}\` (${formatBytes(lost.size)}), last seen at ${lost.lastSeen.map(markdownCode).join(', ')}`);
    }
    const outstanding = verification.origins.sources.filter((source) => source.outstanding.files > 0);
    if (outstanding.length > 0) {
      lines.push('', '| Source | Outstanding | By reason |', '| --- | ---: | --- |');
      for (const source of outstanding) {
        lines.push(`| ${markdownText(source.source)} | ${source.outstanding.files} (${formatBytes(source.outstanding.bytes)}) | ${Object.entries(source.byReason).map(([reason, tally]) => `${reason} ${tally.files}`).join(', ')} |`);
      }
    }
    lines.push('');
  }
  lines.push('## Communication-log entry', '', renderCommsLog(report));
  yield* lines;
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** HTML: the Markdown report's content as a standalone page (tables as tables, no scripts). */
export function* renderHtml(report: Report): Generator<string> {
  const section = function* (title: string, items: ReportList<ReportItem>): Generator<string> {
    yield `<h2>${escapeHtml(title)} (${items.count})</h2>`;
    if (items.count === 0) return yield '<p>None.</p>';
    yield '<table><tr><th>Paths</th><th>Proposal</th><th>Decided</th></tr>';
    for (const item of items.items()) {
      yield `<tr><td>${item.paths.map(escapeHtml).join('<br>')}</td><td>${escapeHtml(item.action ?? '—')}</td><td>${escapeHtml(decidedBy(item))}</td></tr>`;
    }
    yield '</table>';
  };
  const run = report.run;
  const verification = report.verification;
  yield `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(headline(report))}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}.ok{color:#065f46}.bad{color:#b91c1c}</style>
</head><body>
<h1>${escapeHtml(headline(report))}</h1>
<p>Space <code>${escapeHtml(report.space)}</code>, generated ${escapeHtml(report.generatedAt)} by ${escapeHtml(report.generator)}.</p>
${run ? `<p>Run <code>${escapeHtml(run.id)}</code> (${escapeHtml(run.status)}): ${run.doneCount} done, ${run.skippedCount} skipped, ${run.failedCount} failed of ${run.opCount}.</p>` : '<p>No apply run yet.</p>'}
<h2>Per-source completeness</h2>
<table><tr><th>Source</th><th>Files</th><th>Present</th><th>By size + mtime only</th><th>Missing</th><th>Placeholder</th><th>Partial</th></tr>${report.completeness
    .map((s) => `<tr><td>${escapeHtml(s.source)}</td><td>${s.files}</td><td>${s.present.files}</td><td>${s.weak.files}</td><td>${s.missing.files}</td><td>${s.placeholder.files}</td><td>${s.partial.files}</td></tr>`)
    .join('')}</table>
${report.completeness.length ? `<p>${escapeHtml(weakMatchNote)}</p>` : '<p>No origin inventories imported.</p>'}
${report.inventories.length ? `<p>Measured against these origin inventories (completeness is as good as their dates):</p><ul>${report.inventories.map((inventory) => `<li>${escapeHtml(inventoryLine(inventory))}</li>`).join('')}</ul>` : ''}
<h2>Import warnings (${report.importWarnings.length})</h2>${report.importWarnings.length ? `<p>${escapeHtml(importWarningsNote)}</p><ul>${report.importWarnings.map((warning) => `<li>${escapeHtml(importWarningLine(warning))}</li>`).join('')}</ul>` : '<p>None.</p>'}
<h2>Duplicates</h2><p>${report.duplicates.resolvedInRun} resolved in this run, ${escapeHtml(formatBytes(report.duplicates.bytesReclaimed))} reclaimed; ${report.duplicates.open} still open.</p>
`;
  yield* section('Conflicts', report.conflicts);
  yield '\n';
  yield* section('Placeholders outstanding', report.placeholders.outstanding);
  yield '\n';
  yield `<h2>Recovery from the origins</h2>
<table><tr><th>Source</th><th>To fetch</th><th>Fetched, not placed</th><th>Placed</th><th>Waived</th></tr>`;
  for (const s of report.recovery) yield `<tr><td>${escapeHtml(s.source)}</td><td>${s.outstanding}</td><td>${s.fetched}</td><td>${s.placed}</td><td>${s.waived}</td></tr>`;
  yield '</table>\n';
  for (const s of report.recovery.filter((each) => each.entries.length > 0)) {
    yield `<h3>To fetch from ${escapeHtml(s.source)}</h3>${s.command ? `<pre>${escapeHtml(s.command)}</pre>` : ''}<ul>`;
    for (const e of s.entries) yield `<li>${escapeHtml(e.reason)}: <code>${escapeHtml(e.path)}</code>${e.remedy ? ` — first: ${escapeHtml(e.remedy)}` : ''}</li>`;
    yield '</ul>';
  }
  yield '\n';
  yield* section('Partial files', report.partials);
  yield '\n';
  yield* section('Corrupt files', report.corrupt);
  yield '\n';
  yield* section('Unreadable entries', report.unreadable);
  yield `\n<h2>Skipped and flagged operations (${report.flagged.count})</h2><ul>`;
  for (const f of report.flagged.items()) yield `<li>${escapeHtml(f.reason)}: <code>${escapeHtml(f.path)}</code></li>`;
  yield `</ul>
<h2>Invariant check</h2><p class="${report.invariants.ok ? 'ok' : 'bad'}">${report.invariants.ok ? 'All invariants hold.' : report.invariants.violations.map((v) => escapeHtml(v.message)).join('<br>')}</p>
<h2>Verification</h2><p class="${verification?.outcome === 'complete' ? 'ok' : 'bad'}" data-outcome="${verification?.outcome ?? 'none'}">${escapeHtml(verdictLine(report))}</p>
${verification ? `<ul>${verificationLines(verification).map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

/**
 * A spreadsheet runs a cell that starts with = + - @, a tab or a carriage return as a formula
 * (`=HYPERLINK(…)` in a file name would be a live link), so such text gets a leading apostrophe,
 * which spreadsheets show as text (OWASP's advice for CSV injection). Numbers stay numbers.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV: one row per listed item, for spreadsheets. */
export function* renderCsv(report: Report): Generator<string> {
  const row = (cells: (string | number | null)[]) => `${cells.map(csvCell).join(',')}\n`;
  const add = function* (section: string, items: ReportList<ReportItem>): Generator<string> {
    for (const item of items.items()) for (const path of item.paths) yield row([section, item.findingId, path, item.rule, item.action, item.verdict, item.decidedBy, item.decidedAt]);
  };
  yield row(['section', 'finding', 'path', 'rule', 'action', 'verdict', 'decided_by', 'decided_at']);
  for (const source of report.completeness) {
    const counts =
      `${source.files} files: ${source.present.files} present (${source.weak.files} by size + mtime only, no hash in the inventory), ` +
      `${source.missing.files} missing, ${source.placeholder.files} placeholder, ${source.partial.files} partial, ${source.unreadable.files} unreadable`;
    yield row(['completeness', source.source, null, counts, null, null, null, null]);
  }
  for (const inventory of report.inventories) yield row(['inventory', inventory.source, inventory.file, inventoryLine(inventory), null, null, null, inventory.importedAt]);
  for (const warning of report.importWarnings) {
    yield row(['import-warning', warning.source, `${warning.file}${warning.line === null ? '' : `:${warning.line}`}`, warning.message, null, null, null, null]);
  }
  yield* add('conflict', report.conflicts);
  yield* add('placeholder', report.placeholders.outstanding);
  yield* add('partial', report.partials);
  yield* add('corrupt', report.corrupt);
  yield* add('unreadable', report.unreadable);
  for (const flag of report.flagged.items()) yield row(['flagged', flag.id, flag.path, flag.reason, null, null, null, null]);
  for (const source of report.recovery) {
    yield row(['recovery', source.source, null, `${source.outstanding} to fetch, ${source.fetched} fetched, ${source.placed} placed, ${source.waived} waived`, null, null, null, null]);
    for (const entry of source.entries) yield row(['to-fetch', source.source, entry.path, entry.reason, entry.remedy, null, null, null]);
  }
  const verification = report.verification;
  if (verification) {
    yield row(['verification', verification.runId ?? 'space', null, verdictLine(report), null, null, null, verification.checkedAt]);
    for (const source of verification.origins.sources) {
      for (const [reason, tally] of Object.entries(source.byReason)) yield row(['outstanding', source.source, null, `${reason}: ${tally.files} files, ${tally.bytes} bytes`, null, null, null, null]);
    }
    for (const lost of verification.conservation.lost) yield row(['lost', lost.hash, lost.lastSeen[0] ?? null, lost.reason, null, null, null, null]);
  }
}

/**
 * JSON: the report object, its lists streamed as arrays.
 */
function* renderJson(report: Report): Generator<string> {
  const value = (data: unknown) => JSON.stringify(data, (_key, item) => (typeof item === 'bigint' ? Number(item) : item));
  const array = function* <T>(items: Iterable<T>): Generator<string> {
    yield '[';
    let first = true;
    for (const item of items) {
      yield `${first ? '' : ','}\n    ${value(item)}`;
      first = false;
    }
    yield first ? ']' : '\n  ]';
  };
  const { conflicts, placeholders, partials, corrupt, unreadable, flagged, ...rest } = report;
  yield value(rest).slice(0, -1);
  for (const [key, list] of [['conflicts', conflicts], ['partials', partials], ['corrupt', corrupt], ['unreadable', unreadable]] as const) {
    yield `,\n  ${value(key)}: `;
    yield* array(list.items());
  }
  yield ',\n  "flagged": ';
  yield* array(flagged.items());
  yield ',\n  "placeholders": {"outstanding": ';
  yield* array(placeholders.outstanding.items());
  yield '}\n}\n';
}

/** The report in a format, in pieces to write as they come (an owner's report runs to megabytes). */
export function renderReport(report: Report, format: ReportFormat): Iterable<string> {
  switch (format) {
    case 'md':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    case 'csv':
      return renderCsv(report);
    case 'comms-log':
      return [renderCommsLog(report)];
    case 'guardrails':
      return [renderGuardrails(report)];
    case 'json':
      return renderJson(report);
  }
}
