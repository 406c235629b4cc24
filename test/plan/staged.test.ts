/**
 * The inbox drains into the layout: clean staged files move to their mapped place when it is free,
 * a complete copy takes the place of an unfinished one in the canonical tree, and conflict versions
 * get their full hash into the catalog. Real files, the real scan, the real apply for the order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import xxhash from 'xxhash-addon';
import { buildPlan, type Operation } from '../../engine/plan/index.ts';
import { runCli } from '../helpers.ts';
import { SpaceFixture } from './fixture.ts';

const xxh = (content: string | Buffer) => xxhash.XXHash128.hash(Buffer.from(content)).toString('hex');

interface Planned {
  id: string;
  kind: string;
  rule: string;
  paths: string[];
  evidence: Record<string, unknown>;
  action: string;
  keeperPath: string | null;
  operations: Operation[];
}

function planned(fixture: SpaceFixture): Planned[] {
  const rows = fixture.db
    .prepare(
      `SELECT f.id, f.kind, f.rule, f.pathsJson, f.evidenceJson, p.action, p.keeperPath, p.operationsJson
         FROM Finding f JOIN Proposal p ON p.findingId = f.id WHERE f.status = 'open' ORDER BY f.kind, f.id`,
    )
    .all() as { id: string; kind: string; rule: string; pathsJson: string; evidenceJson: string; action: string; keeperPath: string | null; operationsJson: string }[];
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    rule: row.rule,
    paths: (JSON.parse(row.pathsJson) as string[]).map((item) => item.slice(fixture.space.length + 1)),
    evidence: JSON.parse(row.evidenceJson) as Record<string, unknown>,
    action: row.action,
    keeperPath: row.keeperPath,
    operations: JSON.parse(row.operationsJson) as Operation[],
  }));
}

const mapped = {
  sources: [
    { id: 'motoko', kind: 'manual', class: 'local', landing: 'mike', systemOfRecord: true },
    { id: 'wintermute', kind: 'robocopy', class: 'local', host: 'wintermute', landing: 'inbox/wm' },
  ],
  layout: { mappings: [{ from: 'inbox/wm', to: 'mike' }, { from: 'inbox/wm/extra', to: 'elsewhere' }] },
};

/** A scanned space with these files (relative path → content) under `config`. */
async function spaceWith(files: Record<string, string>, config: Record<string, unknown> = mapped): Promise<SpaceFixture> {
  const fixture = new SpaceFixture();
  fixture.configure(config);
  for (const [file, content] of Object.entries(files)) fixture.write(file, content);
  await fixture.scan();
  return fixture;
}

describe('staged inbox files', () => {
  it('move to their free mapped place; litter, partials, duplicates, conflicts and blocked places do not', async () => {
    const fixture = await spaceWith({
      'inbox/wm/docs/new.txt': 'a new file',
      'inbox/wm/docs/.DS_Store': 'litter',
      'inbox/wm/docs/clip.mov.partial': 'half',
      'inbox/wm/docs/.rsync-partial/talk.mp4': 'unfinished',
      'mike/docs/same.txt': 'same bytes',
      'inbox/wm/docs/same.txt': 'same bytes',
      'mike/docs/plan.txt': 'version one',
      'inbox/wm/docs/plan.txt': 'version two!',
      'mike/blocked': 'a file where the folder would go',
      'inbox/wm/blocked/x.txt': 'cannot go under a file',
      'mike/Cased/keep.txt': 'layout folder with capitals',
      'inbox/wm/cased/y.txt': 'would make a second folder differing by case',
      'inbox/wm/Bad./z.txt': 'Windows cannot hold the folder name',
      'inbox/wm/extra/f.txt': 'to elsewhere',
      'inbox/wm/extra/e.txt': 'staged copy',
      'elsewhere/e.txt': 'a file no source scans, but on disk',
    });
    const space = fixture.space;
    const first = buildPlan(fixture.db, fixture.config);
    const all = planned(fixture);
    const staged = all.filter((item) => item.kind === 'staged');
    expect(staged.map((item) => item.paths[0]).sort()).toEqual(['inbox/wm/docs/new.txt', 'inbox/wm/extra/f.txt']);
    const [newFile, extra] = [...staged].sort((a, b) => (a.paths[0]! < b.paths[0]! ? -1 : 1));
    expect(newFile).toMatchObject({
      rule: 'mapped-into-layout',
      action: 'move-to-canonical',
      keeperPath: `${space}/inbox/wm/docs/new.txt`,
      evidence: { to: `${space}/mike/docs/new.txt`, mapping: { from: 'inbox/wm', to: 'mike' } },
    });
    const stat = fs.statSync(`${space}/inbox/wm/docs/new.txt`, { bigint: true });
    expect(newFile!.operations).toEqual([
      {
        id: expect.stringMatching(/^op-[0-9a-f]{16}$/),
        op: 'move',
        from: `${space}/inbox/wm/docs/new.txt`,
        to: `${space}/mike/docs/new.txt`,
        expect: { size: 10, mtimeNs: stat.mtimeNs.toString(), hash: xxh('a new file') },
      },
    ]);
    // The most specific mapping wins.
    expect(extra!.operations.map((operation) => operation.to)).toEqual([`${space}/elsewhere/f.txt`]);
    // Every other inbox file is explained by its own finding, never moved onto an existing path.
    const kindOf = (rel: string) => all.filter((item) => item.paths.includes(rel)).map((item) => item.kind).sort();
    expect(kindOf('inbox/wm/docs/.DS_Store')).toEqual(['artifact']);
    expect(kindOf('inbox/wm/docs/clip.mov.partial')).toEqual(['partial']);
    expect(kindOf('inbox/wm/docs/.rsync-partial/talk.mp4')).toEqual(['partial']);
    expect(kindOf('inbox/wm/docs/same.txt')).toEqual(['duplicate']);
    expect(kindOf('inbox/wm/docs/plan.txt')).toEqual(['conflict']);
    for (const blocked of ['inbox/wm/blocked/x.txt', 'inbox/wm/cased/y.txt', 'inbox/wm/extra/e.txt']) expect(kindOf(blocked), blocked).toEqual([]);
    expect(kindOf('inbox/wm/Bad./z.txt')).not.toContain('staged');
    const targets = all.flatMap((item) => item.operations.map((operation) => operation.to));
    for (const taken of ['mike/docs/same.txt', 'mike/docs/plan.txt', 'elsewhere/e.txt', 'mike/blocked']) expect(targets).not.toContain(`${space}/${taken}`);
    // Staged files' hashes are kept in the catalog: the next plan reads nothing and is byte-identical.
    const kept = fixture.db.prepare("SELECT fullHash FROM Entry WHERE sourceId = 'wintermute' AND relPath = CAST('docs/new.txt' AS BLOB)").pluck().get();
    expect(kept).toBe(xxh('a new file'));
    expect(buildPlan(fixture.db, fixture.config).planHash).toBe(first.planHash);
    expect(first.summary.findings.staged).toBe(2);
  });

  it('drain for real: approved staged moves land in the layout and the next plan has nothing staged', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(mapped);
    fixture.write('inbox/wm/docs/new.txt', 'a new file');
    fixture.write('inbox/wm/docs/deeper/more.txt', 'more');
    const config = path.join(fixture.dir, 'reconcile.yaml');
    const cli = (args: string[]) => runCli(['--config', config, ...args], { dataDir: fixture.dataDir });
    expect(cli(['scan']).status).toBe(0);
    expect(cli(['plan']).status).toBe(0);
    const approve = cli(['--json', 'decide', '--approve-all', '--kind', 'staged']);
    expect(approve.status, approve.stderr).toBe(0);
    expect(JSON.parse(approve.stdout)).toMatchObject({ decided: 2 });
    const run = cli(['--json', 'run']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).apply.summary).toMatchObject({ done: 2, failed: 0 });
    expect(fs.readFileSync(`${fixture.space}/mike/docs/deeper/more.txt`, 'utf8')).toBe('more');
    expect(fs.existsSync(`${fixture.space}/inbox/wm/docs/new.txt`)).toBe(false);
    const findings = cli(['--json', 'findings']);
    expect((JSON.parse(findings.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });
});

describe('staged duplicates', () => {
  it('the keeper moves to its mapped place only when that place is free', async () => {
    const fixture = await spaceWith({
      'inbox/wm/a/logo.png': 'logo bytes',
      'inbox/wm/b/logo.png': 'logo bytes',
      'inbox/wm/c/icon.png': 'icon bytes',
      'inbox/wm/d/icon.png': 'icon bytes',
      'mike/c/icon.png/readme.txt': 'a folder sits where the keeper would go',
      'mike/d/icon.png/readme.txt': 'and here too',
    });
    const space = fixture.space;
    buildPlan(fixture.db, fixture.config);
    const duplicates = planned(fixture).filter((item) => item.kind === 'duplicate');
    const logo = duplicates.find((item) => item.paths.includes('inbox/wm/a/logo.png'))!;
    expect(logo.action).toBe('move-to-canonical');
    expect(logo.operations.map((operation) => operation.to)).toEqual([`${space}/archive/reconciliation/{run}/inbox/wm/b/logo.png`, `${space}/mike/a/logo.png`]);
    const icon = duplicates.find((item) => item.paths.includes('inbox/wm/c/icon.png'))!;
    expect(icon.action).toBe('archive-duplicate');
    expect(icon.operations.map((operation) => operation.to)).toEqual([`${space}/archive/reconciliation/{run}/inbox/wm/d/icon.png`]);
  });
});

describe('a complete copy takes the place of an unfinished one', () => {
  const complete = 'complete content '.repeat(400);

  it('archives the truncated canonical copy, then moves the staged complete copy into its place (and for an empty stand-in)', async () => {
    const fixture = await spaceWith({
      'mike/media/talk.txt': complete.slice(0, 3000),
      'inbox/wm/media/talk.txt': complete,
      'mike/media/empty.txt': '',
      'inbox/wm/media/empty.txt': complete,
      // The other way round: the broken copy is the staged one; only it goes.
      'mike/media/whole.txt': complete,
      'inbox/wm/media/whole.txt': complete.slice(0, 2000),
    });
    const space = fixture.space;
    buildPlan(fixture.db, fixture.config);
    const all = planned(fixture);
    const partial = all.find((item) => item.kind === 'partial' && item.paths.includes('mike/media/talk.txt'))!;
    expect(partial).toMatchObject({ rule: 'truncated-copy', action: 'move-to-canonical', keeperPath: `${space}/inbox/wm/media/talk.txt` });
    expect(partial.operations.map((operation) => [operation.op, operation.from, operation.to, operation.expect.size, operation.expect.hash])).toEqual([
      ['move', `${space}/mike/media/talk.txt`, `${space}/archive/reconciliation/{run}/mike/media/talk.txt`, 3000, xxh(complete.slice(0, 3000))],
      ['move', `${space}/inbox/wm/media/talk.txt`, `${space}/mike/media/talk.txt`, complete.length, xxh(complete)],
    ]);
    const placeholder = all.find((item) => item.kind === 'placeholder' && item.paths.includes('mike/media/empty.txt'))!;
    expect(placeholder.operations.map((operation) => [operation.from, operation.to])).toEqual([
      [`${space}/mike/media/empty.txt`, `${space}/archive/reconciliation/{run}/mike/media/empty.txt`],
      [`${space}/inbox/wm/media/empty.txt`, `${space}/mike/media/empty.txt`],
    ]);
    const reversed = all.find((item) => item.kind === 'partial' && item.paths.includes('inbox/wm/media/whole.txt'))!;
    expect(reversed.action).toBe('quarantine-artifact');
    expect(reversed.operations.map((operation) => operation.to)).toEqual([`${space}/archive/reconciliation/{run}/inbox/wm/media/whole.txt`]);
    // The complete copies are spoken for: no staged move, no duplicate proposal of their own.
    for (const rel of ['inbox/wm/media/talk.txt', 'inbox/wm/media/empty.txt']) {
      expect(all.filter((item) => item.paths.includes(rel)), rel).toEqual([]);
    }
  });

  it('in that order for real: after apply the canonical path holds the complete bytes and the partial sits in the archive', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(mapped);
    fixture.write('mike/media/talk.txt', complete.slice(0, 3000));
    fixture.write('inbox/wm/media/talk.txt', complete);
    const config = path.join(fixture.dir, 'reconcile.yaml');
    const cli = (args: string[]) => runCli(['--config', config, ...args], { dataDir: fixture.dataDir });
    expect(cli(['scan']).status).toBe(0);
    expect(cli(['plan']).status).toBe(0);
    expect(cli(['decide', '--approve-all', '--kind', 'partial']).status).toBe(0);
    // Verification knows the archived partial's path was refilled by the second step.
    const run = cli(['--json', 'run']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const { apply } = JSON.parse(run.stdout) as { apply: { runId: string; summary: { done: number; failed: number } } };
    expect(apply.summary).toMatchObject({ done: 2, failed: 0 });
    const verify = cli(['--json', 'verify', apply.runId]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(fs.readFileSync(`${fixture.space}/mike/media/talk.txt`, 'utf8')).toBe(complete);
    expect(fs.readFileSync(`${fixture.space}/archive/reconciliation/${apply.runId}/mike/media/talk.txt`, 'utf8')).toBe(complete.slice(0, 3000));
    expect(fs.existsSync(`${fixture.space}/inbox/wm/media/talk.txt`)).toBe(false);
    // Rolled back in reverse order, both files are where they were.
    const rollback = cli(['--json', 'rollback', 'latest']);
    expect(rollback.status, rollback.stdout + rollback.stderr).toBe(0);
    expect(fs.readFileSync(`${fixture.space}/mike/media/talk.txt`, 'utf8')).toBe(complete.slice(0, 3000));
    expect(fs.readFileSync(`${fixture.space}/inbox/wm/media/talk.txt`, 'utf8')).toBe(complete);
  });

  it('copies (not moves) it out of a device capture, which stays until reviewed', async () => {
    const fixture = await spaceWith({
      'mike/media/talk.txt': complete.slice(0, 3000),
      'devices/count-zero/miket/media/talk.txt': complete,
    }, { sources: [mapped.sources[0], { id: 'count-zero', kind: 'rsync', class: 'local', landing: 'devices/count-zero/miket' }] });
    buildPlan(fixture.db, fixture.config);
    const partial = planned(fixture).find((item) => item.kind === 'partial')!;
    expect(partial.operations.map((operation) => [operation.op, operation.to])).toEqual([
      ['move', `${fixture.space}/archive/reconciliation/{run}/mike/media/talk.txt`],
      ['copy', `${fixture.space}/mike/media/talk.txt`],
    ]);
  });

  it('not while complete versions conflict: a person picks the version first', async () => {
    const fixture = await spaceWith({
      'mike/media/talk.txt': complete.slice(0, 3000),
      'inbox/wm/media/talk.txt': complete,
      'inbox/m365/media/talk.txt': `${complete.slice(0, -5)} and another ending`,
    }, { ...mapped, sources: [...mapped.sources, { id: 'm365', kind: 'rclone', class: 'cloud', landing: 'inbox/m365' }] });
    buildPlan(fixture.db, fixture.config);
    const all = planned(fixture);
    const partial = all.find((item) => item.kind === 'partial' && item.paths.includes('mike/media/talk.txt'))!;
    expect(partial.action).toBe('quarantine-artifact');
    expect(partial.operations).toHaveLength(1);
    expect(all.find((item) => item.kind === 'conflict')!.paths).toEqual(['inbox/m365/media/talk.txt', 'inbox/wm/media/talk.txt']);
  });
});

describe('conflict versions', () => {
  it('get their full hash into the catalog and into every operation, and the next plan is byte-identical', async () => {
    const fixture = await spaceWith({
      'mike/docs/budget.txt': 'version one of the budget',
      'inbox/wm/docs/budget.txt': 'version two, longer, of the budget',
    });
    const hashes = () => fixture.db.prepare("SELECT fullHash FROM Entry WHERE type = 'file' ORDER BY sourceId").pluck().all();
    expect(hashes()).toEqual([null, null]); // sizes differ: the scan had no reason to hash them
    const first = buildPlan(fixture.db, fixture.config);
    expect(hashes()).toEqual([xxh('version one of the budget'), xxh('version two, longer, of the budget')]);
    const conflict = planned(fixture).find((item) => item.kind === 'conflict')!;
    expect(conflict.operations.map((operation) => operation.expect.hash)).toEqual([xxh('version two, longer, of the budget')]);
    expect(buildPlan(fixture.db, fixture.config).planHash).toBe(first.planHash);
  });
});
