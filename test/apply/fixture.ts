/**
 * Builds a space on disk plus the plan rows the apply stage reads (Source, Entry, Finding,
 * Proposal, approved Decision), the way the plan stage will write them: real files, real SQLite.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import xxhash from 'xxhash-addon';
import { openDatabase, type Db } from '../../engine/db/index.ts';
import { tempDir } from '../helpers.ts';

export interface FixtureFile {
  /** Path relative to the space (a Buffer for names that are not UTF-8). */
  rel: string | Buffer;
  content: Buffer;
  /** Seconds since the epoch (whole seconds keep round trips exact). */
  mtime?: number;
}

export interface FixtureStep {
  op: 'move' | 'copy' | 'mkdir';
  from?: string | Buffer;
  /** May contain `{run}`. */
  to: string | Buffer;
  /** The kept copy the step relies on (space-relative); its stat and hash as the plan saw them. */
  keeper?: string | Buffer;
}

export interface Fixture {
  root: string;
  space: string;
  dataDir: string;
  configFile: string;
  db: Db;
  close(): void;
}

const bytes = (value: string | Buffer): Buffer => (typeof value === 'string' ? Buffer.from(value) : value);
const abs = (space: string, rel: string | Buffer): Buffer => Buffer.concat([Buffer.from(space), Buffer.from('/'), bytes(rel)]);

function plannedPath(space: string, rel: string | Buffer, key: 'from' | 'to'): Record<string, string> {
  const raw = abs(space, rel);
  const text = raw.toString('utf8');
  return Buffer.from(text).equals(raw) ? { [key]: text } : { [key]: text, [`${key}B64`]: raw.toString('base64') };
}

function plannedKeeper(space: string, rel: string | Buffer): Record<string, unknown> {
  const raw = abs(space, rel);
  const stat = fs.statSync(raw, { bigint: true });
  const { from: keeperPath, fromB64 } = plannedPath(space, rel, 'from');
  return {
    path: keeperPath,
    ...(fromB64 ? { pathB64: fromB64 } : {}),
    size: Number(stat.size),
    mtimeNs: String(stat.mtimeNs),
    hash: xxhash.XXHash128.hash(fs.readFileSync(raw)).toString('hex'),
  };
}

export function writeFiles(space: string, files: FixtureFile[]): void {
  for (const file of files) {
    const target = abs(space, file.rel);
    fs.mkdirSync(target.subarray(0, target.lastIndexOf(0x2f)), { recursive: true });
    fs.writeFileSync(target, file.content);
    const mtime = file.mtime ?? 1_700_000_000;
    fs.utimesSync(target, mtime, mtime);
  }
}

/** Creates the space, the config and the database with one approved decision per step group. */
export function buildFixture(root: string, files: FixtureFile[], decisions: FixtureStep[][]): Fixture {
  const space = path.join(root, 'space');
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(space, { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true });
  writeFiles(space, files);
  const configFile = path.join(root, 'reconcile.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({ space, sources: [{ id: 'mac', kind: 'rsync', class: 'local', landing: 'mike' }] }, null, 2),
  );
  const db = openDatabase(path.join(dataDir, 'reconcile.db'));
  const at = new Date().toISOString();
  db.prepare(`INSERT INTO Source (id, kind, class, landing, root, createdAt, updatedAt) VALUES ('mac', 'rsync', 'local', 'mike', ?, ?, ?)`).run(
    path.join(space, 'mike'),
    at,
    at,
  );
  const insertEntry = db.prepare(
    `INSERT INTO Entry (sourceId, relPath, path, parent, name, nfcKey, foldKey, type, size, mtimeNs, ctimeNs, dev, ino, fullHash, firstScanId, lastScanId)
     VALUES ('mac', ?, ?, '', ?, ?, ?, 'file', ?, ?, ?, ?, ?, ?, 1, 1)`,
  );
  db.transaction(() => {
    for (const file of files) {
      const rel = bytes(file.rel);
      if (!rel.subarray(0, 5).equals(Buffer.from('mike/'))) continue;
      const target = abs(space, rel);
      const stat = fs.statSync(target, { bigint: true });
      const display = rel.subarray(5).toString('utf8');
      const hash = xxhash.XXHash128.hash(file.content).toString('hex');
      insertEntry.run(rel.subarray(5), display, display, display, display.toLowerCase(), stat.size, stat.mtimeNs, stat.ctimeNs, stat.dev, stat.ino, hash);
    }
  })();
  addDecisions(db, space, decisions);
  return { root, space, dataDir, configFile, db, close: () => db.close() };
}

/**
 * Approved decisions (one per step group) as the plan would leave them, with preconditions taken
 * from the files as they are now. `kind` is the finding's kind (a duplicate's archived copies are
 * expected to have a keeper elsewhere; other kinds may archive a content's only copy).
 */
export function addDecisions(db: Db, space: string, decisions: FixtureStep[][], kind = 'duplicate'): void {
  const at = new Date().toISOString();
  const first = Number(db.prepare('SELECT COUNT(*) FROM Finding').pluck().get());
  const action = kind === 'duplicate' ? 'archive-duplicate' : 'quarantine-artifact';
  // Evidence of the kind, as classify writes it (engine/classify/evidence.ts); the files are not needed here.
  const evidence = JSON.stringify(kind === 'duplicate' ? { copies: 2, intendedCopies: 0, inodes: 2, files: [] } : { name: 'fixture', type: 'file', files: [] });
  const insertFinding = db.prepare(`INSERT INTO Finding (id, kind, rule, pathsJson, sourcesJson, evidenceJson, planRunId) VALUES (?, ?, 'test', ?, '["mac"]', ?, 1)`);
  const insertProposal = db.prepare(
    `INSERT INTO Proposal (id, findingId, action, rule, reason, operationsJson, decisionKey, planRunId) VALUES (?, ?, ?, 'test', 'fixture', ?, ?, 1)`,
  );
  const insertDecision = db.prepare(`INSERT INTO Decision (decisionKey, findingId, kind, verdict, decidedBy, decidedAt) VALUES (?, ?, ?, 'approved', 'test', ?)`);
  db.transaction(() => {
    decisions.forEach((steps, offset) => {
      const id = `f${String(first + offset).padStart(5, '0')}`;
      const operations = steps.map((step, stepIndex) => {
        const source = step.from ? abs(space, step.from) : null;
        const stat = source ? fs.statSync(source, { bigint: true }) : null;
        return {
          id: `${id}-${stepIndex}`,
          op: step.op,
          ...(step.from ? plannedPath(space, step.from, 'from') : {}),
          ...plannedPath(space, step.to, 'to'),
          ...(stat && source
            ? { expect: { size: Number(stat.size), mtimeNs: String(stat.mtimeNs), hash: xxhash.XXHash128.hash(fs.readFileSync(source)).toString('hex') } }
            : {}),
          ...(step.keeper ? { keeper: plannedKeeper(space, step.keeper) } : {}),
        };
      });
      const key = crypto.createHash('sha256').update(id).digest('hex');
      insertFinding.run(id, kind, JSON.stringify(steps.map((step) => bytes(step.from ?? step.to).toString('utf8'))), evidence);
      insertProposal.run(`p-${id}`, id, action, JSON.stringify(operations), key);
      insertDecision.run(key, id, kind, at);
    });
  })();
}

export interface TreeEntry {
  hash: string;
  mtimeNs: string;
  mode: number;
}

/** Every file and folder under `dir` (raw names, base64 keys), skipping the journal folder. */
export function snapshotTree(dir: string, skip = ['journal']): Map<string, TreeEntry | 'dir'> {
  const tree = new Map<string, TreeEntry | 'dir'>();
  const walk = (folder: Buffer, rel: Buffer) => {
    for (const name of fs.readdirSync(folder, { encoding: 'buffer' })) {
      const childRel = rel.length ? Buffer.concat([rel, Buffer.from('/'), name]) : name;
      if (skip.includes(childRel.toString())) continue;
      const child = Buffer.concat([folder, Buffer.from('/'), name]);
      const stat = fs.lstatSync(child, { bigint: true });
      if (stat.isDirectory()) {
        tree.set(childRel.toString('base64'), 'dir');
        walk(child, childRel);
      } else {
        tree.set(childRel.toString('base64'), {
          hash: xxhash.XXHash128.hash(fs.readFileSync(child)).toString('hex'),
          mtimeNs: String(stat.mtimeNs),
          mode: Number(stat.mode),
        });
      }
    }
  };
  walk(Buffer.from(dir), Buffer.alloc(0));
  return tree;
}

/**
 * `files` (under mike/), each archived as a duplicate whose kept copy stays under mike/keep/ and is
 * named as the step's keeper, as a plan leaves them (verify fails a duplicate archived without one).
 */
export function archivedDuplicates(files: (FixtureFile & { rel: string })[]): { files: FixtureFile[]; decisions: FixtureStep[][] } {
  const kept = (rel: string) => rel.replace(/^mike\//, 'mike/keep/');
  return {
    files: files.flatMap((file) => [file, { ...file, rel: kept(file.rel) }]),
    decisions: files.map((file) => [{ op: 'move', from: file.rel, to: `archive/reconciliation/{run}/${file.rel}`, keeper: kept(file.rel) }]),
  };
}

/**
 * A space of `count` duplicates under mike/, each approved to move to the archive against its kept
 * copy under mike/keep/; the fixture is closed and its folder removed after the file's last test.
 */
export function archivedDuplicateMoves(prefix: string, count: number): Fixture {
  const names = Array.from({ length: count }, (_, index) => `file-${index}.txt`);
  const { files, decisions } = archivedDuplicates(names.map((name) => ({ rel: `mike/${name}`, content: Buffer.from(`content of ${name}`) })));
  const fixture = buildFixture(tempDir(prefix), files, decisions);
  afterAll(() => {
    fixture.close();
    fs.rmSync(fixture.root, { recursive: true, force: true });
  });
  return fixture;
}

/**
 * `count` small files under mike/ with a mix of moves to the archive, copies and folder steps. Each
 * archived file is a duplicate whose kept copy stays under mike/keep/ (verification fails a
 * duplicate archived without its keeper: the content would survive only in the archive).
 */
export function mixedWorkload(count: number, seed = 1): { files: FixtureFile[]; decisions: FixtureStep[][] } {
  const files: FixtureFile[] = [];
  const decisions: FixtureStep[][] = [];
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state;
  };
  for (let index = 0; index < count; index++) {
    const folder = `mike/work/d${index % 17}`;
    const rel = `${folder}/file-${index}.bin`;
    const size = 1 + (random() % 6000);
    const content = crypto.randomBytes(size);
    files.push({ rel, content, mtime: 1_700_000_000 + index });
    const kind = index % 10;
    if (kind < 6) {
      files.push({ rel: `mike/keep/d${index % 17}/file-${index}.bin`, content, mtime: 1_700_000_000 + index });
      decisions.push([{ op: 'move', from: rel, to: `archive/reconciliation/{run}/${rel}`, keeper: `mike/keep/d${index % 17}/file-${index}.bin` }]);
    }
    else if (kind < 9) decisions.push([{ op: 'copy', from: rel, to: `mike/canonical/d${index % 5}/file-${index}.bin` }]);
    else decisions.push([{ op: 'mkdir', to: `mike/sorted/s${index}` }]);
  }
  return { files, decisions };
}
