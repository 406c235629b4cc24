/**
 * Where the recovery of each source stands, read from the latest plan: the origin entries still to
 * fetch (with why, and what to do at the origin first), the fetched files that matched and wait
 * for their placement, fetched files that did not match, folders the origin refused to read, and
 * how many fetched files apply runs have placed.
 */
import path from 'node:path';
import type { Config, ResolvedSource } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { parseStoredEvidence, type EvidenceOf, type RecoveryReason } from '../classify/index.ts';
import { recoveryFolder } from '../scan/index.ts';
import { isPermissionBlock, remedyFor, tccRemedy, type LoggedError } from './remedy.ts';

export interface RecoveryEntry {
  /** Relative to the origin root, '/'-separated: what the file lists carry. */
  path: string;
  reason: RecoveryReason;
  /** What to do at the origin first, when a plain fetch would fail; null otherwise. */
  remedy: string | null;
  originPath: string;
  size: number | null;
  /** The finding that names it. */
  finding: string;
  /** A fetched copy is there but does not match the inventory (it stays; fetch again). */
  mismatch?: { file: string; status: string };
}

export interface FetchedEntry {
  path: string;
  reason: RecoveryReason;
  /** The fetched file in the recovery folder. */
  file: string;
  /** How it matched: the inventory's hash (strong), or size + mtime only (weak). */
  match: 'strong' | 'weak';
  /** Where the placement decision moves it: a space path, or `conflicts`. */
  placement: string;
  finding: string;
}

export interface BlockedFolder {
  path: string;
  message: string;
  remedy: string | null;
}

/** An outstanding entry the owner decided not to recover. */
export interface WaivedEntry {
  path: string;
  reason: RecoveryReason;
  waiver: string;
  decidedBy: string;
  decidedAt: string;
  finding: string;
}

export interface SourceRecoveryState {
  source: string;
  kind: ResolvedSource['kind'];
  host: string | null;
  origin: string | null;
  remote: string | null;
  /** Absolute folder in the space where fetched files land, origin-relative paths below it. */
  target: string;
  entries: RecoveryEntry[];
  fetched: FetchedEntry[];
  waived: WaivedEntry[];
  /** Folders a transfer could not read at the origin (no inventory lists what is inside). */
  blocked: BlockedFolder[];
  /** Fetched files apply runs placed (not rolled back). */
  placed: number;
}

interface FindingRow {
  id: string;
  kind: string;
  rule: string;
  pathsJson: string;
  evidenceJson: string;
}

/** The recovery state of every configured source (or those named), from the latest plan. */
export function recoveryState(db: Db, config: Config, only: readonly string[] = []): SourceRecoveryState[] {
  const chosen = config.sources.filter((source) => only.length === 0 || only.includes(source.id));
  const states = new Map(chosen.map((source) => [source.id, emptyState(config, source)]));
  const lastError = db.prepare(
    `SELECT code, message, tool FROM TransferEvent WHERE sourceId = ? AND relPath = ? AND level = 'error' ORDER BY id DESC LIMIT 1`,
  );
  const originError = db
    .prepare('SELECT errorCode FROM OriginEntry WHERE sourceId = ? AND relPath = ? AND errorCode IS NOT NULL AND inventoryId = (SELECT MAX(id) FROM Inventory WHERE sourceId = ?)')
    .pluck();
  const findings = db
    .prepare(
      `SELECT id, kind, rule, pathsJson, evidenceJson FROM Finding
        WHERE status = 'open' AND kind IN ('conflict', 'placeholder', 'partial', 'corrupt', 'missing', 'unreadable')
        ORDER BY kind, folder, id`,
    )
    .iterate() as IterableIterator<FindingRow>;
  const seen = new Set<string>();
  for (const finding of findings) {
    const stored = parseStoredEvidence(finding.id, finding.kind, finding.evidenceJson);
    if (stored.kind === 'unreadable') {
      blockedFolder(states, config, finding, stored.evidence);
      continue;
    }
    const targets = 'outstanding' in stored.evidence ? (stored.evidence.outstanding ?? []) : [];
    for (const target of targets) {
      const state = states.get(target.source);
      const key = `${target.source}\0${target.relPath}`;
      if (!state || seen.has(key)) continue;
      seen.add(key);
      if (target.waived && !target.recovered) {
        state.waived.push({ path: target.relPath, reason: target.reason, waiver: target.waived.reason, decidedBy: target.waived.decidedBy, decidedAt: target.waived.decidedAt, finding: finding.id });
        continue;
      }
      if (target.recovered) {
        const { placement } = target.recovered;
        state.fetched.push({
          path: target.relPath,
          reason: target.reason,
          file: target.recovered.file.path,
          match: target.recovered.match.strength,
          placement: placement.to === 'place' ? placement.path : 'conflicts',
          finding: finding.id,
        });
        continue;
      }
      const source = config.sources.find((candidate) => candidate.id === target.source)!;
      // The transfer logs' last word on it, else what the origin's manifest met reading it.
      const unreadAtOrigin = originError.get(target.source, target.relPath, target.source) as string | undefined;
      const error =
        (lastError.get(target.source, target.relPath) as LoggedError | undefined) ??
        (unreadAtOrigin ? { code: unreadAtOrigin, message: `the origin manifest could not read it (${unreadAtOrigin})`, tool: 'manifest' } : undefined);
      state.entries.push({
        path: target.relPath,
        reason: target.reason,
        remedy: remedyFor(source, target.reason, error, target.hash === null),
        originPath: target.originPath,
        size: target.size,
        finding: finding.id,
        ...(target.mismatch ? { mismatch: { file: target.mismatch.path, status: target.mismatch.status } } : {}),
      });
    }
  }
  const placed = placedCounts(db, config);
  for (const state of states.values()) {
    state.placed = placed.get(state.source) ?? 0;
    state.entries.sort((a, b) => compare(a.path, b.path));
    state.fetched.sort((a, b) => compare(a.path, b.path));
    state.waived.sort((a, b) => compare(a.path, b.path));
  }
  return [...states.values()];
}

function emptyState(config: Config, source: ResolvedSource): SourceRecoveryState {
  return {
    source: source.id,
    kind: source.kind,
    host: source.host ?? null,
    origin: source.origin ?? source.remote ?? null,
    remote: source.remote ?? null,
    target: recoveryFolder(config, source.id),
    entries: [],
    fetched: [],
    waived: [],
    blocked: [],
    placed: 0,
  };
}

/**
 * A folder the origin refused to read, as a transfer log or the origin's manifest says (macOS
 * privacy, say): no inventory lists what is inside, so only the folder can be named.
 */
function blockedFolder(
  states: Map<string, SourceRecoveryState>,
  config: Config,
  finding: FindingRow,
  evidence: EvidenceOf<'unreadable'>,
): void {
  if (!finding.rule.startsWith('transfer-') && !finding.rule.startsWith('origin-')) return;
  const [folder] = JSON.parse(finding.pathsJson) as string[];
  const source = config.sources.find((candidate) => folder !== undefined && (folder === candidate.root || folder.startsWith(`${candidate.root}/`)));
  const state = source ? states.get(source.id) : undefined;
  if (!source || !state || folder === undefined) return;
  const code = evidence.code ?? evidence.errorCode ?? null;
  const error: LoggedError = { code, message: evidence.message ?? `the origin manifest could not list it (${code})`, tool: evidence.tool ?? 'manifest' };
  state.blocked.push({
    path: path.relative(source.root, folder),
    message: error.message,
    remedy: isPermissionBlock(error) ? `${tccRemedy(source)}; then run the transfer of that folder again and import its inventory` : null,
  });
}

/** Fetched files placed by apply runs, per source: done moves out of its recovery folder (temp files archived are not). */
function placedCounts(db: Db, config: Config): Map<string, number> {
  const prefix = `${path.join(config.space, config.layout.recovery)}/`;
  const archive = `${path.join(config.space, config.layout.archive)}/`;
  const rows = db
    .prepare(
      `SELECT DISTINCT fromPath FROM Operation
        WHERE op = 'move' AND status = 'done' AND substr(fromPath, 1, ?) = ? AND substr(toPath, 1, ?) <> ?`,
    )
    .pluck()
    .all(prefix.length, prefix, archive.length, archive) as string[];
  const counts = new Map<string, number>();
  for (const from of rows) {
    const source = from.slice(prefix.length).split('/')[0]!;
    counts.set(source, (counts.get(source) ?? 0) + 1);
  }
  return counts;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
