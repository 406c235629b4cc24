/**
 * `checkInvariants`: duplicate working trees outside the roles that allow them, configs that would
 * make a sync loop, and planned writes that would leave the space root.
 */
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { isInside, parseStoredEvidence } from '../classify/index.ts';
import type { Operation } from './operations.ts';

export interface Violation {
  invariant: 'duplicate-working-trees' | 'sync-loop' | 'write-outside-space';
  message: string;
  details: Record<string, unknown>;
}

/** Fewest shared files for two folders to count as duplicate working trees. */
const minSharedFiles = 2;

export interface InvariantCheck {
  ok: boolean;
  violations: Violation[];
}

/** Every invariant, checked now against the catalog's open findings and the config. */
export function checkInvariants(db: Db, config: Config): InvariantCheck {
  return combined(findingInvariants(db, config), syncLoops(config));
}

/**
 * The latest finished plan's invariants: those about its findings and proposals as checked when it was
 * built (they change only with a plan), the config's checked now. Counting them again per page at a
 * few hundred thousand findings took seconds.
 */
export function latestInvariants(db: Db, config: Config): InvariantCheck | null {
  const plan = db.prepare(`SELECT invariantsJson FROM PlanRun WHERE planHash <> '' ORDER BY id DESC LIMIT 1`).get() as { invariantsJson: string | null } | undefined;
  if (!plan) return null;
  const stored = plan.invariantsJson === null ? findingInvariants(db, config) : (JSON.parse(plan.invariantsJson) as Violation[]);
  return combined(stored, syncLoops(config));
}

/** The invariants that depend on the open findings and proposals (kept with each plan run). */
export function findingInvariants(db: Db, config: Config): Violation[] {
  return [...duplicateTrees(db, config), ...writesOutside(db, config)];
}

function combined(fromFindings: Violation[], fromConfig: Violation[]): InvariantCheck {
  const order: Violation['invariant'][] = ['duplicate-working-trees', 'sync-loop', 'write-outside-space'];
  const violations = [...fromFindings, ...fromConfig].sort((a, b) => order.indexOf(a.invariant) - order.indexOf(b.invariant));
  return { ok: violations.length === 0, violations };
}

/** Two working folders sharing files at the same relative paths: the roots where their paths diverge. */
function duplicateTrees(db: Db, config: Config): Violation[] {
  const pairs = new Map<string, number>();
  const rows = db.prepare("SELECT id, kind, evidenceJson FROM Finding WHERE kind = 'duplicate' AND status = 'open'").iterate() as IterableIterator<{ id: string; kind: string; evidenceJson: string }>;
  for (const row of rows) {
    const files = parseStoredEvidence(row.id, row.kind, row.evidenceJson).evidence.files.filter((file) => file.spacePath !== null && !file.intended);
    for (let i = 0; i < files.length; i++) {
      for (let j = i + 1; j < files.length; j++) {
        const roots = treeRoots(files[i]!.spacePath!, files[j]!.spacePath!);
        if (roots) pairs.set(roots.join('\0'), (pairs.get(roots.join('\0')) ?? 0) + 1);
      }
    }
  }
  return [...pairs.entries()]
    .filter(([, count]) => count >= minSharedFiles)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, count]) => {
      const [left, right] = key.split('\0') as [string, string];
      return {
        invariant: 'duplicate-working-trees' as const,
        message: `${left}/ and ${right}/ hold the same ${count} files outside the archive roles`,
        details: { trees: [path.join(config.space, left), path.join(config.space, right)], sharedFiles: count },
      };
    });
}

/** Strips the longest common suffix of two paths; what remains are the two tree roots. */
function treeRoots(a: string, b: string): [string, string] | null {
  const left = a.split('/');
  const right = b.split('/');
  let shared = 0;
  while (shared < Math.min(left.length, right.length) - 1 && left[left.length - 1 - shared] === right[right.length - 1 - shared]) shared++;
  if (shared === 0) return null;
  const roots = [left.slice(0, left.length - shared).join('/'), right.slice(0, right.length - shared).join('/')].sort() as [string, string];
  return roots[0] === roots[1] ? null : roots;
}

function syncLoops(config: Config): Violation[] {
  const violations: Violation[] = [];
  const localHost = os.hostname();
  for (const source of config.sources) {
    const origin = source.origin;
    if (origin && path.isAbsolute(origin) && (!source.host || source.host === localHost)) {
      const originPath = path.resolve(origin);
      if (isInside(source.root, originPath) || isInside(originPath, source.root)) {
        violations.push({
          invariant: 'sync-loop',
          message: `source ${source.id}: its landing ${source.root} and its origin ${originPath} overlap`,
          details: { source: source.id, landing: source.root, origin: originPath },
        });
      }
    }
  }
  const { mappings } = config.layout;
  for (const mapping of mappings) {
    if (isInside(mapping.to, mapping.from) || isInside(mapping.from, mapping.to)) {
      violations.push({ invariant: 'sync-loop', message: `mapping ${mapping.from} → ${mapping.to} maps a folder into itself`, details: { mapping } });
    }
    if (mappings.some((other) => other !== mapping && isInside(mapping.to, other.from))) {
      violations.push({ invariant: 'sync-loop', message: `mapping ${mapping.from} → ${mapping.to} lands in another mapping's source`, details: { mapping } });
    }
  }
  for (const folder of [config.layout.archive, config.layout.conflicts, config.layout.journal]) {
    for (const source of config.sources) {
      if (isInside(folder, source.landing)) {
        violations.push({
          invariant: 'sync-loop',
          message: `reconciliation folder ${folder} is inside the landing of source ${source.id}: the next transfer would write into it`,
          details: { folder, source: source.id },
        });
      }
    }
  }
  return violations;
}

function writesOutside(db: Db, config: Config): Violation[] {
  const violations: Violation[] = [];
  const rows = db
    .prepare("SELECT p.findingId, p.operationsJson FROM Proposal p JOIN Finding f ON f.id = p.findingId WHERE f.status = 'open' AND p.operationsJson <> '[]' ORDER BY p.findingId")
    .iterate() as IterableIterator<{ findingId: string; operationsJson: string }>;
  for (const row of rows) {
    for (const operation of JSON.parse(row.operationsJson) as Operation[]) {
      for (const target of [operation.from, operation.to]) {
        const resolved = path.resolve(target);
        if (resolved !== target || !isInside(resolved, config.space) || resolved === config.space) {
          violations.push({
            invariant: 'write-outside-space',
            message: `finding ${row.findingId}: operation ${operation.id} touches ${target}, outside the space ${config.space}`,
            details: { findingId: row.findingId, operation: operation.id, path: target },
          });
        }
      }
    }
  }
  return violations;
}
