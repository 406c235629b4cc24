/**
 * `buildPlan`: classify the catalog, propose for every finding, persist findings and proposals
 * (findings no longer produced become `gone`), and record the canonical document's hash.
 */
import type { Config } from '../config/index.ts';
import { openDatabase, type Db } from '../db/index.ts';
import { classify, type Finding, type SourceCompleteness } from '../classify/index.ts';
import { writePlanDocument, type PlanHeader } from './document.ts';
import { refreshSourceStats } from '../catalog/index.ts';
import { configHash, planFingerprint } from './fingerprint.ts';
import { findingInvariants } from './invariants.ts';
import { propose, type ProposeContext } from './propose.ts';
import type { SourceTraits } from './priority.ts';

export interface PlanSummary {
  findings: Record<string, number>;
  actions: Record<string, number>;
  reclaimableBytes: number;
  completeness: SourceCompleteness[];
}

export interface PlanResult {
  planRunId: number;
  planHash: string;
  configHash: string;
  summary: PlanSummary;
}

const batchSize = 2000;

export function proposeContext(db: Db, config: Config): ProposeContext {
  const rows = db.prepare('SELECT id, class FROM Source').all() as { id: string; class: string }[];
  const configured = new Map(config.sources.map((source) => [source.id, source]));
  const traits = new Map<string, SourceTraits>(
    rows.map((row) => [row.id, { class: configured.get(row.id)?.class ?? row.class, systemOfRecord: configured.get(row.id)?.systemOfRecord ?? false }]),
  );
  return { config, traits };
}

/** Where planning is: the classification pass running and the findings written so far. */
export interface PlanProgress {
  pass: string;
  done: number;
  total: number;
  findings: number;
}

export function buildPlan(
  db: Db,
  config: Config,
  options: { onProgress?: (progress: PlanProgress) => void } = {},
): PlanResult {
  const now = new Date().toISOString();
  const hashOfConfig = configHash(config);
  // Taken before classifying: an input that changes meanwhile makes the next call rebuild, never reuse.
  const fingerprint = planFingerprint(db, config);
  const planRunId = Number(
    db
      .prepare('INSERT INTO PlanRun (createdAt, scanId, planHash, configHash, fingerprint) VALUES (?, (SELECT MAX(id) FROM ScanRun), ?, ?, ?)')
      .run(now, '', hashOfConfig, fingerprint).lastInsertRowid,
  );
  const context = proposeContext(db, config);
  // Classification streams from open read statements; SQLite allows no write on that connection
  // meanwhile, so findings go through a second connection (WAL lets both proceed). An in-memory
  // database has no second connection: its findings are written once classification is done.
  const writer = db.memory ? null : openDatabase(db.name, { migrate: false });
  const out = writer ?? db;
  const upsertFinding = out.prepare(
    `INSERT INTO Finding (id, kind, rule, pathsJson, sourcesJson, evidenceJson, size, hash, reclaimableBytes, folder, status, planRunId, firstSeenAt, lastSeenAt)
     VALUES (@id, @kind, @rule, @pathsJson, @sourcesJson, @evidenceJson, @size, @hash, @reclaimableBytes, @folder, 'open', @planRunId, @now, @now)
     ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, rule = excluded.rule, pathsJson = excluded.pathsJson,
       sourcesJson = excluded.sourcesJson, evidenceJson = excluded.evidenceJson, size = excluded.size, hash = excluded.hash,
       reclaimableBytes = excluded.reclaimableBytes, folder = excluded.folder, status = 'open', planRunId = excluded.planRunId,
       lastSeenAt = excluded.lastSeenAt`,
  );
  const upsertProposal = out.prepare(
    `INSERT INTO Proposal (id, findingId, action, rule, reason, keeperPath, operationsJson, redownloadJson, decisionKey, planRunId)
     VALUES (@id, @findingId, @action, @rule, @reason, @keeperPath, @operationsJson, @redownloadJson, @decisionKey, @planRunId)
     ON CONFLICT(id) DO UPDATE SET findingId = excluded.findingId, action = excluded.action, rule = excluded.rule, reason = excluded.reason,
       keeperPath = excluded.keeperPath, operationsJson = excluded.operationsJson, redownloadJson = excluded.redownloadJson,
       decisionKey = excluded.decisionKey, planRunId = excluded.planRunId`,
  );
  let pending: Finding[] = [];
  let written = 0;
  const flush = out.transaction((findings: Finding[]) => {
    for (const finding of findings) {
      const proposal = propose(finding, context);
      const { files, ...evidenceless } = finding;
      upsertFinding.run({
        id: finding.id,
        kind: finding.kind,
        rule: finding.rule,
        pathsJson: JSON.stringify(finding.paths),
        sourcesJson: JSON.stringify(finding.sources),
        evidenceJson: JSON.stringify({ ...evidenceless.evidence, files }),
        size: finding.size ?? null,
        hash: finding.hash ?? null,
        reclaimableBytes: finding.reclaimableBytes ?? 0,
        folder: commonFolder(finding.paths),
        planRunId,
        now,
      });
      upsertProposal.run({
        id: proposal.id,
        findingId: proposal.findingId,
        action: proposal.action,
        rule: proposal.rule,
        reason: proposal.reason,
        keeperPath: proposal.keeperPath,
        operationsJson: JSON.stringify(proposal.operations),
        redownloadJson: JSON.stringify(proposal.redownload),
        decisionKey: proposal.decisionKey,
        planRunId,
      });
    }
  });
  let result;
  try {
    let position = { pass: '', done: 0, total: 0 };
    result = classify(
      db,
      config,
      (finding) => {
        pending.push(finding);
        if (writer && pending.length >= batchSize) {
          flush(pending);
          written += pending.length;
          options.onProgress?.({ ...position, findings: written });
          pending = [];
        }
      },
      {
        onPass: (progress) => {
          position = progress;
          if (progress.pass !== 'done') options.onProgress?.({ ...position, findings: written });
        },
      },
    );
    flush(pending);
    written += pending.length;
    options.onProgress?.({ ...position, findings: written });
  } finally {
    writer?.close();
  }
  db.prepare("UPDATE Finding SET status = 'gone' WHERE planRunId <> ? AND status = 'open'").run(planRunId);

  const summary = summarize(db, planRunId, result.completeness);
  const header = planHeader(db, config, planRunId, hashOfConfig, summary);
  const planHash = writePlanDocument(db, planRunId, header, () => {});
  db.prepare('UPDATE PlanRun SET planHash = ?, findingCount = ?, proposalCount = ?, summaryJson = ?, invariantsJson = ? WHERE id = ?').run(
    planHash,
    Object.values(summary.findings).reduce((sum, count) => sum + count, 0),
    Object.values(summary.actions).reduce((sum, count) => sum + count, 0),
    JSON.stringify(summary),
    JSON.stringify(findingInvariants(db, config)),
    planRunId,
  );
  // The dashboard's per-source counts of open findings, counted once here.
  refreshSourceStats(db, ['findings']);
  return { planRunId, planHash, configHash: hashOfConfig, summary };
}

function summarize(db: Db, planRunId: number, completeness: SourceCompleteness[]): PlanSummary {
  const findings = Object.fromEntries(
    (db.prepare("SELECT kind, COUNT(*) AS n FROM Finding WHERE planRunId = ? AND status = 'open' GROUP BY kind ORDER BY kind").all(planRunId) as { kind: string; n: number }[]).map((row) => [row.kind, row.n]),
  );
  const actions = Object.fromEntries(
    (db.prepare('SELECT action, COUNT(*) AS n FROM Proposal p JOIN Finding f ON f.id = p.findingId WHERE f.planRunId = ? AND f.status = \'open\' GROUP BY action ORDER BY action').all(planRunId) as { action: string; n: number }[]).map((row) => [row.action, row.n]),
  );
  const reclaimable = db.prepare("SELECT COALESCE(SUM(reclaimableBytes), 0) AS n FROM Finding WHERE planRunId = ? AND status = 'open'").pluck().get(planRunId) as number;
  return { findings, actions, reclaimableBytes: reclaimable, completeness };
}

/** Per-source completeness from a stored PlanRun.summaryJson (plans made before weak matches were counted read as none). */
export function storedCompleteness(summaryJson: string): SourceCompleteness[] {
  const summary = JSON.parse(summaryJson) as { completeness?: (Omit<SourceCompleteness, 'weak'> & Partial<Pick<SourceCompleteness, 'weak'>>)[] };
  return (summary.completeness ?? []).map((source) => ({ ...source, weak: source.weak ?? { files: 0, bytes: 0 } }));
}

export function planHeader(db: Db, config: Config, planRunId: number, hashOfConfig: string, summary: PlanSummary): PlanHeader {
  return {
    space: config.space,
    configHash: hashOfConfig,
    priority: config.priority,
    summary,
  };
}

/** The deepest folder holding every path ('' when they share none). */
export function commonFolder(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  const split = paths.map((item) => item.split('/').slice(0, -1));
  const shared: string[] = [];
  for (let index = 0; index < split[0]!.length; index++) {
    const part = split[0]![index]!;
    if (split.every((parts) => parts[index] === part)) shared.push(part);
    else break;
  }
  return shared.join('/');
}
