/**
 * placeholder: content that never arrived although a name did — 0-byte files whose counterpart is
 * not empty, iCloud `.Name.ext.icloud` stubs, and files the transfer logs report as dataless.
 */
import { parseBuffer as parseBinaryPlist } from 'bplist-parser';
import { parse as parseXmlPlist } from 'plist';
import type { EntryRow } from './catalog.ts';
import type { PlaceholderEvidence } from './evidence.ts';
import { readRange } from './content.ts';
import { icloudStubName } from './names.ts';
import type { ClassifyRun } from './run.ts';
import { matchOrigin } from './origin-match.ts';
import { originRowAt, outstandingAt } from './outstanding.ts';
import { logEvidence, transferProblems } from './transfer-events.ts';

export interface IcloudStub {
  name: string;
  size: number | null;
}

/** Reads the real name and size out of a stub's plist (binary or XML); null when unreadable. */
export function parseIcloudStub(content: Buffer): IcloudStub | null {
  let value: unknown;
  try {
    if (content.subarray(0, 8).toString('latin1') === 'bplist00') value = parseBinaryPlist(content)[0];
    else value = parseXmlPlist(content.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const name = record.NSURLNameKey;
  const size = record.NSURLFileSizeKey;
  if (typeof name !== 'string') return null;
  return { name, size: typeof size === 'number' ? size : typeof size === 'bigint' ? Number(size) : null };
}

export function classifyIcloudStub(run: ClassifyRun, row: EntryRow): boolean {
  if (row.type !== 'file') return false;
  const guessed = icloudStubName(row.name);
  if (guessed === null) return false;
  const { catalog } = run;
  const stub = row.size > 0n && row.size < 1024n * 1024n ? parseIcloudStub(readRange(catalog.rawPath(row), 0, Number(row.size)) ?? Buffer.alloc(0)) : null;
  const realName = stub?.name ?? guessed;
  const realRel = row.parent === '' ? realName : `${row.parent}/${realName}`;
  run.claim(row);
  run.explainedOrigin.add(`${row.sourceId}\0${realRel}`);
  const source = catalog.source(row.sourceId);
  run.emit({
    kind: 'placeholder',
    rule: 'icloud-stub',
    files: [catalog.fileRef(row, { hash: true })],
    evidence: { realName, realSize: stub?.size ?? null, plistParsed: stub !== null, realPath: `${source.root}/${realRel}`,
      outstanding: outstandingAt(run, source, realRel, 'placeholder', stub?.size ?? null),
    },
  });
  return true;
}

const datalessCodes = ['EDEADLK', 'DATALESS'];
const datalessMessage = /resource deadlock avoided|dataless/i;

/** Files the transfer logs say could not be materialised (cloud-only at the origin). */
export function classifyLoggedPlaceholders(run: ClassifyRun): void {
  const { catalog } = run;
  for (const event of transferProblems(catalog.db, ['error', 'warning'])) {
    const dataless = event.code ? datalessCodes.includes(event.code.toUpperCase()) : datalessMessage.test(event.message);
    if (!dataless) continue;
    const source = catalog.sources.get(event.sourceId);
    if (!source) continue;
    const row = catalog.lookup(event.sourceId, event.relPath);
    if (row && (run.isClaimed(row) || run.isOurs(row))) continue;
    // The log is history: a file that holds what the inventory says now (fetched and placed since) is no stand-in.
    if (row && row.size > 0n && holdsOrigin(run, row, event.sourceId, event.relPath)) continue;
    if (row) run.claim(row);
    run.explainedOrigin.add(`${event.sourceId}\0${event.relPath}`);
    run.emit({
      kind: 'placeholder',
      rule: 'transfer-log-dataless',
      files: row ? [catalog.fileRef(row, { hash: true })] : [],
      paths: row ? undefined : [`${source.root}/${event.relPath}`],
      sources: [event.sourceId],
      evidence: { inSpace: row !== undefined, ...logEvidence(source, event), outstanding: outstandingAt(run, source, event.relPath, 'placeholder', null) },
    });
  }
}

function holdsOrigin(run: ClassifyRun, row: EntryRow, sourceId: string, relPath: string): boolean {
  const origin = originRowAt(run, sourceId, relPath);
  if (!origin) return true;
  const { status } = matchOrigin(run.catalog, row, origin);
  return status === 'hash-match' || status === 'size-mtime-match' || status === 'size-match';
}

export function emitPlaceholder(run: ClassifyRun, row: EntryRow, rule: string, evidence: PlaceholderEvidence): void {
  run.claim(row);
  run.emit({ kind: 'placeholder', rule, files: [run.catalog.fileRef(row, { hash: true })], evidence });
}
