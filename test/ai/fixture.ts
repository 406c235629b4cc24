/**
 * The scenario the AI tests share (Vitest and Playwright): a space with one conflict between two
 * large text versions and one duplicate pair of credential files, and the catalog rows a scan and
 * a plan would have recorded for them — so these tests do not depend on the scanner or classifier.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../engine/db/index.ts';

export interface AdviceScenario {
  space: string;
  configFile: string;
  conflictPaths: [string, string];
  secretPaths: [string, string];
  /** A value inside the credential files that must never reach the gateway. */
  secretValue: string;
}

const sources = [
  { id: 'mike', landing: 'mike' },
  { id: 'wintermute-mdt', landing: 'inbox/wintermute-mdt_' },
];

/** Two versions that differ on every line, each far larger than any excerpt budget, ending in a marker. */
export const versionA = `${Array.from({ length: 4000 }, (_, i) => `alpha line ${i}`).join('\n')}\nTAIL-MARKER-A\n`;
export const versionB = `${Array.from({ length: 4000 }, (_, i) => `beta line ${i}`).join('\n')}\nTAIL-MARKER-B\n`;

export function writeAdviceScenario(root: string): AdviceScenario {
  const space = path.join(root, 'space');
  const write = (relative: string, content: string) => {
    const file = path.join(space, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  };
  const secretValue = 'hunter2-very-secret-value';
  const scenario: AdviceScenario = {
    space,
    configFile: path.join(root, 'reconcile.yaml'),
    conflictPaths: [write('mike/notes/plan.txt', versionA), write('inbox/wintermute-mdt_/notes/plan.txt', versionB)],
    secretPaths: [write('mike/app/.env', `DB_PASSWORD=${secretValue}\n`), write('inbox/wintermute-mdt_/app/.env', `DB_PASSWORD=${secretValue}\n`)],
    secretValue,
  };
  fs.writeFileSync(
    scenario.configFile,
    [
      `space: ${JSON.stringify(space)}`,
      'sources:',
      '  - { id: mike, kind: manual, class: local, landing: mike, systemOfRecord: true }',
      '  - { id: wintermute-mdt, kind: robocopy, class: device, landing: inbox/wintermute-mdt_ }',
      '',
    ].join('\n'),
  );
  return scenario;
}

/** Source, Entry, PlanRun, Finding and Proposal rows for the scenario: findings `conflict-plan` and `duplicate-env`. */
export function seedAdviceCatalog(db: Db, scenario: AdviceScenario): void {
  const insertSource = db.prepare("INSERT INTO Source (id, kind, class, landing, root) VALUES (?, 'manual', 'local', ?, ?)");
  const insertEntry = db.prepare(
    `INSERT INTO Entry (sourceId, relPath, path, parent, name, nfcKey, foldKey, type, size, mtimeNs, ino, fullHash, firstScanId, lastScanId)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'file', ?, ?, ?, ?, 1, 1)`,
  );
  const files = [...scenario.conflictPaths, ...scenario.secretPaths];
  for (const source of sources) {
    const rootDir = path.join(scenario.space, source.landing);
    insertSource.run(source.id, source.landing, rootDir);
    for (const file of files.filter((candidate) => candidate.startsWith(`${rootDir}/`))) {
      const relPath = path.relative(rootDir, file);
      const stat = fs.statSync(file, { bigint: true });
      const digest = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 32);
      insertEntry.run(source.id, Buffer.from(relPath), relPath, path.dirname(relPath), path.basename(relPath), relPath, relPath.toLowerCase(), stat.size, stat.mtimeNs, stat.ino, digest);
    }
  }
  const now = new Date().toISOString();
  const plan = db.prepare("INSERT INTO PlanRun (createdAt, planHash, configHash) VALUES (?, 'p', 'c')").run(now);
  const insertFinding = db.prepare(
    `INSERT INTO Finding (id, kind, rule, pathsJson, sourcesJson, evidenceJson, size, planRunId, folder, firstSeenAt, lastSeenAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const bothSources = JSON.stringify(sources.map((source) => source.id));
  insertFinding.run('conflict-plan', 'conflict', 'same-path-different-content', JSON.stringify(scenario.conflictPaths), bothSources, '{"versions":2,"files":[]}', versionA.length, plan.lastInsertRowid, scenario.space, now, now);
  insertFinding.run('duplicate-env', 'duplicate', 'same-content', JSON.stringify(scenario.secretPaths), bothSources, '{"copies":2,"intendedCopies":0,"inodes":2,"files":[]}', 38, plan.lastInsertRowid, scenario.space, now, now);
  db.prepare(
    `INSERT INTO Proposal (id, findingId, action, rule, reason, keeperPath, decisionKey, planRunId)
     VALUES ('p-conflict', 'conflict-plan', 'route-to-conflicts', 'system-of-record', 'mike is the system of record', ?, 'k-conflict', ?)`,
  ).run(scenario.conflictPaths[0], plan.lastInsertRowid);
}
