/**
 * Reading findings for review: keyset-paged lists in reclaimable-bytes order, counts, and one
 * finding with its proposal, decision and every member resolved to its catalog entry.
 */
import 'server-only';
import path from 'node:path';
import { z } from 'zod';
import { engineDb } from '../db.ts';
import { serverConfig } from '../config.ts';
import { ApiError } from '../api/respond.ts';
import { parseStoredEvidence, type StoredKindEvidence } from '../../engine/classify/index.ts';
import { findingFilterSql, findingJoins, parseStoredChoice, type StoredChoice } from '../../engine/plan/index.ts';
import { engineFilter, type FindingFilter } from './finding-filter.ts';
import { recoveredFiles, type RecoveredFile } from './recovered-files.ts';

export interface FindingRow {
  id: string;
  kind: string;
  rule: string;
  paths: string[];
  sources: string[];
  size: number | null;
  hash: string | null;
  reclaimableBytes: number;
  folder: string;
  action: string | null;
  proposalRule: string | null;
  reason: string | null;
  keeperPath: string | null;
  verdict: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  appliedRunId: string | null;
}

type RawFindingRow = Omit<FindingRow, 'paths' | 'sources'> & { pathsJson: string; sourcesJson: string };

const rowColumns = `f.id, f.kind, f.rule, f.pathsJson, f.sourcesJson, f.size, f.hash, f.reclaimableBytes, f.folder,
  p.action, p.rule AS proposalRule, p.reason, p.keeperPath, d.verdict, d.decidedBy, d.decidedAt, d.appliedRunId`;

function toRow(raw: RawFindingRow): FindingRow {
  const { pathsJson, sourcesJson, ...rest } = raw;
  return {
    ...rest,
    size: raw.size === null ? null : Number(raw.size),
    reclaimableBytes: Number(raw.reclaimableBytes),
    paths: JSON.parse(pathsJson) as string[],
    sources: JSON.parse(sourcesJson) as string[],
  };
}

/** Opaque position after a row: its reclaimable bytes and id. */
const cursorSchema = z.tuple([z.number().int().min(0), z.string().min(1)]);

export function encodeCursor(row: Pick<FindingRow, 'reclaimableBytes' | 'id'>): string {
  return Buffer.from(JSON.stringify([row.reclaimableBytes, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ApiError('bad_request', 'invalid cursor');
  }
}

/** The engine's SQL for a filter as the web app takes it. */
export function filterSql(filter: FindingFilter, options: { folderInListOrder?: boolean } = {}): ReturnType<typeof findingFilterSql> {
  return findingFilterSql(engineFilter(serverConfig().space, filter), options);
}

/**
 * From this many findings under a folder on, its pages walk the list order testing each row's
 * folder: a page then reads about limit × (all ÷ under the folder) rows, never more than 100 × the
 * open findings ÷ 2,000, where seeking the folder index joins and sorts every finding below it
 * first (229 ms p95 for the space root at 200k findings). Fewer, and the folder index wins.
 */
const wideFolder = 2000;

/** The filter's SQL for reading rows in list order (pages, queue positions), with the folder test that suits the folder's size. */
function listOrderSql(filter: FindingFilter): ReturnType<typeof findingFilterSql> {
  const sql = filterSql(filter);
  if (!filter.folder) return sql;
  const under = engineDb().prepare(`SELECT count(*) FROM (SELECT 1 FROM ${sql.from} WHERE ${sql.where} LIMIT ?)`).pluck().get(...sql.params, wideFolder) as number;
  return under < wideFolder ? sql : filterSql(filter, { folderInListOrder: true });
}

export interface FindingPage {
  items: FindingRow[];
  nextCursor: string | null;
}

/** One page of findings matching the filter, largest reclaimable bytes first (counting is separate: countFindings). */
export function listFindings(filter: FindingFilter, options: { cursor?: string; limit: number }): FindingPage {
  const db = engineDb();
  const { where, params } = listOrderSql(filter);
  let keyset = '';
  const keysetParams: unknown[] = [];
  if (options.cursor) {
    const [bytes, id] = decodeCursor(options.cursor);
    keyset = ' AND (f.reclaimableBytes < ? OR (f.reclaimableBytes = ? AND f.id > ?))';
    keysetParams.push(bytes, bytes, id);
  }
  const raw = db
    .prepare(`SELECT ${rowColumns} FROM ${findingJoins} WHERE ${where}${keyset} ORDER BY f.reclaimableBytes DESC, f.id ASC LIMIT ?`)
    .all(...params, ...keysetParams, options.limit + 1) as RawFindingRow[];
  const items = raw.slice(0, options.limit).map(toRow);
  const nextCursor = raw.length > options.limit ? encodeCursor(items[items.length - 1]!) : null;
  return { items, nextCursor };
}

export function countFindings(filter: FindingFilter): number {
  const { where, params, from } = filterSql(filter);
  const row = engineDb().prepare(`SELECT count(*) AS n FROM ${from} WHERE ${where}`).get(...params) as { n: number };
  return row.n;
}

/** The finding at a position of a filtered queue (conflict cards keep their position in the URL). */
export function queueItem(filter: FindingFilter, index: number): { total: number; index: number; finding: FindingDetail | null } {
  const { where, params } = listOrderSql(filter);
  const row = engineDb()
    .prepare(`SELECT f.id FROM ${findingJoins} WHERE ${where} ORDER BY f.reclaimableBytes DESC, f.id ASC LIMIT 1 OFFSET ?`)
    .get(...params, index) as { id: string } | undefined;
  return { total: countFindings(filter), index, finding: row ? getFinding(row.id) : null };
}

export interface Member {
  /** Position in the finding's paths: previews and diffs address members by it. */
  index: number;
  path: string;
  /** Path relative to the space, or null when it lies outside (origin paths of missing files). */
  spacePath: string | null;
  sourceId: string | null;
  entryId: number | null;
  size: number | null;
  mtimeMs: number | null;
  mode: number | null;
  fullHash: string | null;
  xattrs: string[] | null;
  errorCode: string | null;
  isKeeper: boolean;
}

/** One finding for review: the row, its kind's evidence as stored (with the files), the proposal's operations and the decision's choice. */
export type FindingDetail = FindingDetailFacts & StoredKindEvidence;

interface FindingDetailFacts extends Omit<FindingRow, 'kind'> {
  operations: unknown[];
  decisionKey: string | null;
  choice: StoredChoice;
  members: Member[];
  /** Metadata fields whose values differ between members. */
  differences: string[];
  /** Files fetched from an origin that this finding places (or flags), with the match evidence. */
  recovered: RecoveredFile[];
}

interface EntryFacts {
  id: number;
  size: number;
  mtimeNs: bigint;
  mode: number;
  fullHash: string | null;
  xattrsJson: string | null;
  errorCode: string | null;
}

export function spaceRelative(space: string, absolute: string): string | null {
  const root = `${space.replace(/\/+$/, '')}/`;
  return absolute.startsWith(root) ? absolute.slice(root.length) : null;
}

function resolveMember(absolute: string, sources: { id: string; root: string }[]): { sourceId: string; entry: EntryFacts | undefined } | null {
  const source = sources
    .filter((candidate) => absolute.startsWith(`${candidate.root.replace(/\/+$/, '')}/`))
    .sort((a, b) => b.root.length - a.root.length)[0];
  if (!source) return null;
  const relPath = Buffer.from(absolute.slice(source.root.replace(/\/+$/, '').length + 1), 'utf8');
  const entry = engineDb()
    .prepare(
      'SELECT id, size, mtimeNs, mode, fullHash, xattrsJson, errorCode FROM Entry WHERE sourceId = ? AND relPath = ? AND removedScanId IS NULL',
    )
    .safeIntegers(true)
    .get(source.id, relPath) as (Omit<EntryFacts, 'id' | 'size' | 'mode'> & { id: bigint; size: bigint; mode: bigint }) | undefined;
  if (!entry) return { sourceId: source.id, entry: undefined };
  return { sourceId: source.id, entry: { ...entry, id: Number(entry.id), size: Number(entry.size), mode: Number(entry.mode) } };
}

export function getFinding(id: string): FindingDetail {
  const db = engineDb();
  const raw = db
    .prepare(`SELECT ${rowColumns}, f.evidenceJson, p.operationsJson, p.decisionKey, d.choiceJson FROM ${findingJoins} WHERE f.id = ?`)
    .get(id) as (RawFindingRow & { evidenceJson: string; operationsJson: string | null; decisionKey: string | null; choiceJson: string | null }) | undefined;
  if (!raw) throw new ApiError('not_found', 'no such finding');
  const row = toRow(raw);
  const config = serverConfig();
  const space = config.space;
  const sources = db.prepare('SELECT id, root FROM Source').all() as { id: string; root: string }[];
  const members: Member[] = row.paths.map((memberPath, index) => {
    const resolved = path.isAbsolute(memberPath) ? resolveMember(memberPath, sources) : null;
    const entry = resolved?.entry;
    return {
      index,
      path: memberPath,
      spacePath: spaceRelative(space, memberPath),
      sourceId: resolved?.sourceId ?? null,
      entryId: entry?.id ?? null,
      size: entry ? entry.size : null,
      mtimeMs: entry ? Number(entry.mtimeNs / 1_000_000n) : null,
      mode: entry ? entry.mode : null,
      fullHash: entry?.fullHash ?? null,
      xattrs: entry?.xattrsJson ? (JSON.parse(entry.xattrsJson) as string[]) : null,
      errorCode: entry?.errorCode ?? null,
      isKeeper: row.keeperPath === memberPath,
    };
  });
  const differences = (['size', 'mtimeMs', 'mode', 'fullHash', 'xattrs'] as const).filter((field) => {
    const values = new Set(members.filter((member) => member.entryId !== null).map((member) => JSON.stringify(member[field])));
    return values.size > 1;
  });
  const stored = parseStoredEvidence(row.id, row.kind, raw.evidenceJson);
  const origins = new Map(config.sources.map((source) => [source.id, source.origin ?? source.remote ?? null]));
  return {
    ...row,
    ...stored,
    operations: raw.operationsJson ? (JSON.parse(raw.operationsJson) as unknown[]) : [],
    decisionKey: raw.decisionKey,
    choice: parseStoredChoice(row.id, raw.choiceJson),
    members,
    differences,
    recovered: recoveredFiles(stored.evidence, row.paths, origins),
  };
}

/** The space-relative path of a finding's member, for previews: taken from the database, never the client. */
export function memberSpacePath(findingId: string, index: number): string {
  const row = engineDb().prepare('SELECT pathsJson FROM Finding WHERE id = ?').get(findingId) as { pathsJson: string } | undefined;
  if (!row) throw new ApiError('not_found', 'no such finding');
  const memberPath = (JSON.parse(row.pathsJson) as string[])[index];
  if (memberPath === undefined) throw new ApiError('not_found', 'no such member');
  const relative = spaceRelative(serverConfig().space, memberPath);
  if (relative === null) throw new ApiError('bad_request', 'this member is not a file in the space');
  return relative;
}
