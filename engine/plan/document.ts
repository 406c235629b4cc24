/**
 * The canonical plan document: the same catalog and config give the same bytes (no timestamps, no
 * row ids, stable order), so its hash says whether anything changed. Written in chunks so a plan
 * with millions of items never sits in memory as one string.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/index.ts';

/** Raised when the document's shape changes (2: displacing operations name their `keeper`; 3: no re-download lists, recovery has its own). */
export const planFormat = 'reconcile-plan/3';

interface ItemRow {
  id: string;
  kind: string;
  rule: string;
  pathsJson: string;
  sourcesJson: string;
  evidenceJson: string;
  size: number | null;
  hash: string | null;
  reclaimableBytes: number;
  action: string;
  proposalRule: string;
  reason: string;
  keeperPath: string | null;
  operationsJson: string;
  redownloadJson: string;
  decisionKey: string;
}

export interface PlanHeader {
  space: string;
  configHash: string;
  priority: readonly string[];
  summary: unknown;
}

/** Streams the document for a plan run to `write`; returns its SHA-256. */
export function writePlanDocument(db: Db, planRunId: number, header: PlanHeader, write: (chunk: string) => void): string {
  const hash = crypto.createHash('sha256');
  const emit = (chunk: string) => {
    hash.update(chunk);
    write(chunk);
  };
  emit(
    `{"format":${JSON.stringify(planFormat)},"space":${JSON.stringify(header.space)},"configHash":${JSON.stringify(header.configHash)},` +
      `"priority":${JSON.stringify(header.priority)},"summary":${JSON.stringify(header.summary)},"items":[`,
  );
  const rows = db
    .prepare(
      `SELECT f.id, f.kind, f.rule, f.pathsJson, f.sourcesJson, f.evidenceJson, f.size, f.hash, f.reclaimableBytes,
              p.action, p.rule AS proposalRule, p.reason, p.keeperPath, p.operationsJson, p.redownloadJson, p.decisionKey
         FROM Finding f JOIN Proposal p ON p.findingId = f.id
        WHERE f.planRunId = ? AND f.status = 'open'
        ORDER BY f.kind, f.folder, f.id`,
    )
    .iterate(planRunId) as IterableIterator<ItemRow>;
  let first = true;
  for (const row of rows) {
    emit(`${first ? '' : ','}${itemJson(row)}`);
    first = false;
  }
  emit(']}\n');
  return hash.digest('hex');
}

function itemJson(row: ItemRow): string {
  const size = row.size === null ? '' : `,"size":${row.size}`;
  const hash = row.hash === null ? '' : `,"hash":${JSON.stringify(row.hash)}`;
  return (
    `{"finding":{"id":${JSON.stringify(row.id)},"kind":${JSON.stringify(row.kind)},"rule":${JSON.stringify(row.rule)},` +
    `"paths":${row.pathsJson},"sources":${row.sourcesJson}${size}${hash},"reclaimableBytes":${row.reclaimableBytes},"evidence":${row.evidenceJson}},` +
    `"proposal":{"action":${JSON.stringify(row.action)},"rule":${JSON.stringify(row.proposalRule)},"reason":${JSON.stringify(row.reason)},` +
    `"keeper":${JSON.stringify(row.keeperPath)},"decisionKey":${JSON.stringify(row.decisionKey)},"operations":${row.operationsJson},` +
    `"redownload":${row.redownloadJson}}}`
  );
}
