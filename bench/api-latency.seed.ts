/**
 * Fills a catalog with synthetic review work for the API latency benchmark: N duplicate clusters
 * (2-4 copies across three sources, varied sizes), a conflict per 50 clusters, and a decision on
 * every tenth cluster. Rows go in with prepared statements in one transaction.
 *
 *   tsx bench/api-latency.seed.ts <database file> <space> <clusters>
 */
import path from 'node:path';
import { openDatabase } from '../engine/db/index.ts';

export function seedReviewCatalog(file: string, space: string, clusters: number): void {
  const db = openDatabase(file);
  const now = new Date().toISOString();
  const sources = [
    { id: 'count-zero', landing: 'devices/count-zero/miket', kind: 'rsync', class: 'device' },
    { id: 'wintermute', landing: 'inbox/wintermute-mdt_', kind: 'robocopy', class: 'local' },
    { id: 'm365', landing: 'mike', kind: 'rclone', class: 'cloud' },
  ];
  const insertSource = db.prepare(
    'INSERT OR REPLACE INTO Source (id, kind, class, landing, root, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertPlan = db.prepare(
    'INSERT INTO PlanRun (createdAt, planHash, configHash, findingCount, proposalCount, summaryJson) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertFinding = db.prepare(
    `INSERT INTO Finding (id, kind, rule, pathsJson, sourcesJson, evidenceJson, size, hash, reclaimableBytes, folder, status, planRunId, firstSeenAt, lastSeenAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
  );
  const insertProposal = db.prepare(
    `INSERT INTO Proposal (id, findingId, action, rule, reason, keeperPath, operationsJson, decisionKey, planRunId) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertDecision = db.prepare(
    `INSERT INTO Decision (decisionKey, findingId, kind, verdict, choiceJson, decidedBy, decidedAt) VALUES (?, ?, ?, ?, '{}', 'bench@localhost', ?)`,
  );
  db.transaction(() => {
    for (const source of sources) insertSource.run(source.id, source.kind, source.class, source.landing, path.join(space, source.landing), now, now);
    const planRunId = Number(insertPlan.run(now, 'bench', 'bench', clusters, clusters, JSON.stringify({ invariants: [] })).lastInsertRowid);
    for (let index = 0; index < clusters; index += 1) {
      const id = `dup-${index.toString(36).padStart(6, '0')}`;
      const conflict = index % 50 === 49;
      const copies = 2 + (index % 3);
      const folder = `projects/p${index % 997}/sub${index % 13}`;
      const paths = Array.from({ length: copies }, (_, copy) => path.join(space, sources[copy % 3]!.landing, folder, `file-${index}${copy === 3 ? ' (1)' : ''}.dat`));
      const size = 1000 + ((index * 7919) % 50_000_000);
      const kind = conflict ? 'conflict' : 'duplicate';
      const keeper = paths.find((member) => member.includes('/mike/')) ?? paths[0]!;
      insertFinding.run(
        id,
        kind,
        conflict ? 'same-path-different-content' : 'same-content',
        JSON.stringify(paths),
        JSON.stringify([...new Set(paths.map((_, copy) => sources[copy % 3]!.id))]),
        JSON.stringify({
          // Evidence of the kind, as the classifiers write it (engine/classify/evidence.ts).
          ...(conflict ? { versions: copies } : { copies, intendedCopies: 0, inodes: copies }),
          // The classified files, as the plan stores them: choices are checked against these.
          files: paths.map((member, copy) => ({
            path: member,
            spacePath: path.relative(space, member),
            sources: [sources[copy % 3]!.id],
            type: 'file',
            size,
            mtimeNs: '1767000000000000000',
            hash: conflict ? null : `h${index.toString(16).padStart(32, '0')}`,
            role: 'canonical',
            intended: false,
          })),
        }),
        size,
        conflict ? null : `h${index.toString(16).padStart(32, '0')}`,
        conflict ? 0 : size * (copies - 1),
        path.join(space, folder),
        planRunId,
        now,
        now,
      );
      insertProposal.run(
        `p-${id}`,
        id,
        conflict ? 'route-to-conflicts' : 'archive-duplicate',
        conflict ? 'newest-mtime' : 'system-of-record',
        conflict ? 'newest version wins, the other goes to the conflicts folder' : 'the copy under mike/ is the system of record',
        keeper,
        JSON.stringify(
          paths
            .filter((member) => member !== keeper)
            .map((from, op) => ({ id: `${id}-${op}`, op: 'move', from, to: path.join(space, 'archive/reconciliation/{run}', path.relative(space, from)) })),
        ),
        `k-${id}`,
        planRunId,
      );
      if (index % 10 === 0) insertDecision.run(`k-${id}`, id, kind, index % 20 === 0 ? 'approved' : 'rejected', now);
    }
  })();
  db.close();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, space, clusters] = process.argv.slice(2);
  if (!file || !space || !clusters) throw new Error('usage: tsx bench/api-latency.seed.ts <database> <space> <clusters>');
  const started = performance.now();
  seedReviewCatalog(path.resolve(file), path.resolve(space), Number(clusters));
  process.stdout.write(`seeded ${clusters} clusters in ${Math.round(performance.now() - started)} ms\n`);
}
