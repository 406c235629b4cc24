// Real failures through the real CLI: a full disk, a permission error (as an unprivileged user),
// and names that are not plain UTF-8 — each must leave a consistent journal and a resumable run.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getRun, runOperations } from '../../engine/apply/index.ts';
import { readJournal } from '../../engine/journal/index.ts';
import { repoRoot, runCli, tempDir } from '../helpers.ts';
import { buildFixture, snapshotTree, type Fixture, type FixtureFile, type FixtureStep } from './fixture.ts';

const mounts: string[] = [];
const roots: string[] = [];
afterAll(() => {
  for (const mount of mounts) spawnSync('umount', [mount]);
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function cli(fixture: Fixture, args: string[], asUser?: number) {
  if (asUser === undefined) return runCli(['--config', fixture.configFile, ...args], { dataDir: fixture.dataDir });
  const result = spawnSync(
    'setpriv',
    [`--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups', process.execPath, path.join(repoRoot, 'bin/reconcile.js'), '--config', fixture.configFile, ...args],
    { encoding: 'utf8', env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: '/tmp', RECONCILE_DATA_DIR: fixture.dataDir }, timeout: 120_000 },
  );
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The journal reads back whole: every operation with an outcome had an intent or was settled. */
function expectConsistentJournal(fixture: Fixture) {
  const run = fixture.db.prepare('SELECT id FROM ApplyRun').get() as { id: string };
  const { records, torn } = readJournal(getRun(fixture.db, run.id)!.journalPath);
  expect(torn).toBeLessThanOrEqual(1);
  const done = new Set(records.flatMap((record) => (record.t === 'done' ? [record.id] : [])));
  for (const op of runOperations(fixture.db, run.id)) {
    if (op.status === 'done') expect(done.has(op.id), op.id).toBe(true);
    // Buffer.equals: vitest's deep equality walks big buffers byte by byte.
    if (op.status === 'done' && op.op === 'copy') expect(fs.readFileSync(op.to).equals(fs.readFileSync(op.from!)), op.id).toBe(true);
  }
  const leftovers = fs.readdirSync(fixture.space, { recursive: true }).filter((name) => String(name).includes('.reconcile-'));
  expect(leftovers).toEqual([]);
  return run.id;
}

/** A page boundary (4 KiB multiple) that falls well inside a `done` record of the journal. */
function pageInsideADone(journal: Buffer): number {
  let offset = 0;
  for (const line of journal.toString('utf8').split('\n')) {
    const end = offset + Buffer.byteLength(line) + 1;
    const page = Math.ceil((offset + 16) / 4096) * 4096;
    if (line.startsWith('{"t":"done"') && page < end - 16 && page > 4096) return page;
    offset = end;
  }
  throw new Error('no done record spans a page boundary');
}

/** Fills the file system at `dir` with a filler file until exactly `pages` 4 KiB pages stay free. */
function fillLeaving(dir: string, pages: number): void {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const page = Buffer.alloc(4096, 1);
  let size = 0;
  try {
    for (;;) size += fs.writeSync(fd, page);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  fs.truncateSync(filler, size - pages * 4096);
}

describe('apply failures', () => {
  it('fails cleanly on a full disk and resumes once there is room', (ctx) => {
    const root = tempDir('reconcile-full-');
    roots.push(root);
    const space = path.join(root, 'space');
    fs.mkdirSync(space);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', space]);
    if (mounted.status !== 0) ctx.skip(`cannot mount a small tmpfs (${mounted.stderr.toString().trim()})`);
    mounts.push(space);
    const files: FixtureFile[] = Array.from({ length: 5 }, (_, index) => ({ rel: `mike/big-${index}.bin`, content: Buffer.alloc(300 * 1024, index + 1) }));
    const decisions: FixtureStep[][] = files.map((file, index) => [{ op: 'copy', from: file.rel, to: `mike/copies/big-${index}.bin` }]);
    const fixture = buildFixture(root, files, decisions);
    try {
      const failed = cli(fixture, ['apply']);
      expect(failed.status).not.toBe(0);
      expect(failed.stderr).toMatch(/ENOSPC|no space/i);
      expect(failed.stderr).toMatch(/run reconcile apply again to resume/);
      const runId = expectConsistentJournal(fixture);
      expect(getRun(fixture.db, runId)!.status).toBe('failed');
      const doneBefore = runOperations(fixture.db, runId).filter((op) => op.status === 'done').length;
      expect(doneBefore).toBeLessThan(5);
      execFileSync('mount', ['-o', 'remount,size=16m', space]);
      const resumed = cli(fixture, ['--json', 'apply']);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ state: 'resumed', summary: { done: 5, failed: 0 }, verification: { outcome: 'complete' } });
      expectConsistentJournal(fixture);
    } finally {
      fixture.close();
    }
  });

  it('records a permission error (unprivileged user) against its step, finishes the rest, retries it once fixed', (ctx) => {
    const probe = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, path.join(repoRoot, 'bin/reconcile.js'), '--version']);
    if (probe.status !== 0) ctx.skip(`the unprivileged user cannot run the CLI from ${repoRoot} (${String(probe.stderr).trim().split('\n')[0]})`);
    const root = tempDir('reconcile-perm-');
    roots.push(root);
    const fixture = buildFixture(
      root,
      [
        { rel: 'mike/a.txt', content: Buffer.from('alpha') },
        { rel: 'mike/b.txt', content: Buffer.from('bravo') },
        { rel: 'mike/c.txt', content: Buffer.from('charlie') },
        // The kept copies of the two archived duplicates.
        { rel: 'mike/kept/a.txt', content: Buffer.from('alpha') },
        { rel: 'mike/kept/c.txt', content: Buffer.from('charlie') },
        { rel: 'mike/locked/.keep', content: Buffer.from('') },
      ],
      [
        [{ op: 'move', from: 'mike/a.txt', to: 'archive/reconciliation/{run}/a.txt' }],
        [{ op: 'copy', from: 'mike/b.txt', to: 'mike/locked/b.txt' }],
        [{ op: 'move', from: 'mike/c.txt', to: 'archive/reconciliation/{run}/c.txt' }],
      ],
    );
    try {
      execFileSync('chmod', ['-R', 'a+rwX', root]);
      const locked = path.join(fixture.space, 'mike/locked');
      fs.chmodSync(locked, 0o755);
      // A folder it may not write fails that step alone; the run goes on and names it.
      const failed = cli(fixture, ['apply'], 65534);
      expect(failed.status, failed.stdout + failed.stderr).toBe(1);
      expect(failed.stdout).toMatch(/flagged EACCES: .*b\.txt/);
      expect(failed.stdout).toMatch(/finished with 1 failed; .* reconcile apply --retry /);
      const runId = expectConsistentJournal(fixture);
      expect(runOperations(fixture.db, runId).map((op) => op.status)).toEqual(['done', 'failed', 'done']);
      expect(getRun(fixture.db, runId)!.status).toBe('finished-with-failures');
      fs.chmodSync(locked, 0o777);
      const retried = cli(fixture, ['--json', 'apply', '--retry'], 65534);
      expect(retried.status, retried.stderr).toBe(0);
      expect(JSON.parse(retried.stdout)).toMatchObject({ state: 'resumed', summary: { done: 3, failed: 0 }, verification: { outcome: 'complete' } });
      expect(fs.readFileSync(path.join(locked, 'b.txt'), 'utf8')).toBe('bravo');
    } finally {
      fixture.close();
    }
  });

  it('rolls back every step of a run stopped by a full disk, those whose outcomes could not be written too', (ctx) => {
    // Seventy copies whose records have the same lengths in two spaces: one measures where each
    // journal record lies, the other has its journal on a tmpfs that fills up inside the block
    // of `done` records a batch of copies writes together.
    const names = Array.from({ length: 70 }, (_, index) => `file-${String(index).padStart(2, '0')}.bin`);
    const files: FixtureFile[] = names.map((name, index) => ({ rel: `mike/${name}`, content: Buffer.alloc(100, index + 1) }));
    const decisions: FixtureStep[][] = names.map((name) => [{ op: 'copy', from: `mike/${name}`, to: `mike/copies/${name}` }]);
    const measured = buildFixture(tempDir('reconcile-enospc-'), files, decisions);
    roots.push(measured.root);
    let boundary: number;
    try {
      expect(cli(measured, ['apply']).status).toBe(0);
      const run = measured.db.prepare('SELECT journalPath FROM ApplyRun').get() as { journalPath: string };
      boundary = pageInsideADone(fs.readFileSync(run.journalPath));
    } finally {
      measured.close();
    }

    const root = tempDir('reconcile-enospc-');
    roots.push(root);
    const fixture = buildFixture(root, files, decisions);
    const journalFolder = path.join(fixture.space, 'journal');
    fs.mkdirSync(journalFolder);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', journalFolder]);
    if (mounted.status !== 0) ctx.skip(`cannot mount a small tmpfs (${mounted.stderr.toString().trim()})`);
    mounts.push(journalFolder);
    try {
      // Leave the journal room up to that page boundary, plus one page for the run's lock file.
      fillLeaving(journalFolder, boundary / 4096 + 1);
      const before = snapshotTree(fixture.space);
      const failed = cli(fixture, ['apply']);
      expect(failed.stderr).toMatch(/ENOSPC|no space/i);
      const runId = (fixture.db.prepare('SELECT id FROM ApplyRun').get() as { id: string }).id;
      const ops = runOperations(fixture.db, runId);
      // The steps whose done records hit the full disk took effect, but only their intents say so.
      const landed = ops.filter((op) => fs.existsSync(op.to));
      const unrecorded = landed.filter((op) => op.status !== 'done');
      expect(unrecorded.length, ops.map((op) => op.status).join()).toBeGreaterThan(0);
      expect(getRun(fixture.db, runId)!.status).toBe('failed');

      execFileSync('mount', ['-o', 'remount,size=16m', journalFolder]);
      const rolledBack = cli(fixture, ['--json', 'rollback', runId]);
      expect(rolledBack.status, rolledBack.stdout + rolledBack.stderr).toBe(0);
      expect(JSON.parse(rolledBack.stdout)).toMatchObject({ status: 'rolled-back', restored: landed.length, refused: [] });
      expect(snapshotTree(fixture.space)).toEqual(before);
    } finally {
      fixture.close();
    }
  });

  it('finishes a run past a step that fails on its own files, queues new work beside it, and retries it', (ctx) => {
    const root = tempDir('reconcile-eperm-');
    roots.push(root);
    const fixture = buildFixture(
      root,
      ['a', 'b', 'c', 'd'].map((name) => ({ rel: `mike/${name}.txt`, content: Buffer.from(name) })).concat([{ rel: 'mike/locked/.keep', content: Buffer.from('') }]),
      [
        [{ op: 'move', from: 'mike/a.txt', to: 'archive/reconciliation/{run}/mike/a.txt' }],
        // Its destination folder is immutable: EPERM (even for root), every time, until someone fixes it.
        [{ op: 'move', from: 'mike/b.txt', to: 'mike/locked/b.txt' }],
        [{ op: 'move', from: 'mike/c.txt', to: 'archive/reconciliation/{run}/mike/c.txt' }],
        [{ op: 'move', from: 'mike/d.txt', to: 'archive/reconciliation/{run}/mike/d.txt' }],
      ],
    );
    const locked = path.join(fixture.space, 'mike/locked');
    const immutable = spawnSync('chattr', ['+i', locked], { encoding: 'utf8' });
    if (immutable.status !== 0) {
      fixture.close();
      ctx.skip(`cannot make a folder immutable here (chattr +i: ${String(immutable.stderr ?? immutable.error).trim()})`);
    }
    try {
      // d is approved only later, as new work.
      const later = fixture.db.prepare(`SELECT * FROM Decision WHERE findingId = 'f00003'`).get() as Record<string, unknown>;
      fixture.db.prepare(`DELETE FROM Decision WHERE findingId = 'f00003'`).run();
      const first = cli(fixture, ['--json', 'apply']);
      expect(first.status, first.stderr).toBe(1);
      const firstRun = JSON.parse(first.stdout) as { run: { id: string; status: string }; summary: { done: number; failed: number; flagged: { reason: string }[] } };
      expect(firstRun).toMatchObject({ run: { status: 'finished-with-failures' }, summary: { done: 2, failed: 1, flagged: [{ reason: 'EPERM' }] } });
      expect(fs.existsSync(path.join(fixture.space, 'mike/b.txt'))).toBe(true);

      // The failed run holds nothing else up: new work gets a run of its own, without b.
      fixture.db.prepare(`INSERT INTO Decision (${Object.keys(later).join(', ')}) VALUES (${Object.keys(later).map(() => '?').join(', ')})`).run(...Object.values(later));
      // (Each run's verification follows only its own moves, so the exit codes are left aside.)
      const next = cli(fixture, ['--json', 'apply']);
      expect(JSON.parse(next.stdout)).toMatchObject({ state: 'queued', run: { opCount: 1 }, summary: { done: 1, failed: 0 } });

      execFileSync('chattr', ['-i', locked]);
      const retried = cli(fixture, ['--json', 'apply', '--retry', firstRun.run.id]);
      expect(JSON.parse(retried.stdout)).toMatchObject({ state: 'resumed', run: { id: firstRun.run.id, status: 'succeeded' }, summary: { done: 3, failed: 0 } });
      expect(fs.readFileSync(path.join(locked, 'b.txt'), 'utf8')).toBe('b');
      expect(fixture.db.prepare('SELECT COUNT(*) FROM Decision WHERE appliedRunId IS NULL').pluck().get()).toBe(0);
      expect(cli(fixture, ['--json', 'apply']).stdout).toMatch(/"state":"nothing"/);
    } finally {
      spawnSync('chattr', ['-i', locked]);
      fixture.close();
    }
  });

  it('carries odd names (NFD, newline, invalid UTF-8, 255 bytes) through apply and rollback', () => {
    const root = tempDir('reconcile-names-');
    roots.push(root);
    const names: (string | Buffer)[] = [
      'Cafe\u0301 (NFD).txt',
      'line\nbreak.txt',
      Buffer.concat([Buffer.from('latin1-'), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from('.txt')]),
      `${'n'.repeat(251)}.txt`,
    ];
    const rel = (name: string | Buffer, folder: string) => Buffer.concat([Buffer.from(`${folder}/`), Buffer.from(name)]);
    const files = names.map((name, index) => ({ rel: rel(name, 'mike/odd'), content: Buffer.from(`content ${index}`) }));
    const decisions: FixtureStep[][] = names.map((name) => [
      { op: 'copy', from: rel(name, 'mike/odd'), to: rel(name, 'mike/copied') },
      { op: 'move', from: rel(name, 'mike/odd'), to: rel(name, 'archive/reconciliation/{run}/mike/odd') },
    ]);
    const fixture = buildFixture(root, files, decisions);
    try {
      const before = snapshotTree(fixture.space);
      const applied = cli(fixture, ['--json', 'apply']);
      expect(applied.status, applied.stdout).toBe(0);
      const result = JSON.parse(applied.stdout);
      expect(result).toMatchObject({ summary: { done: 8, skipped: 0 }, verification: { outcome: 'complete' } });
      for (const name of names) {
        expect(fs.readFileSync(Buffer.concat([Buffer.from(`${fixture.space}/`), rel(name, 'mike/copied')])).toString()).toMatch(/^content/);
        expect(fs.existsSync(Buffer.concat([Buffer.from(`${fixture.space}/`), rel(name, `archive/reconciliation/${result.run.id}/mike/odd`)]))).toBe(true);
      }
      const rolledBack = cli(fixture, ['--json', 'rollback', 'latest']);
      expect(rolledBack.status, rolledBack.stderr).toBe(0);
      expect(JSON.parse(rolledBack.stdout)).toMatchObject({ status: 'rolled-back', restored: 8 });
      expect(snapshotTree(fixture.space)).toEqual(before);
    } finally {
      fixture.close();
    }
  });
});
