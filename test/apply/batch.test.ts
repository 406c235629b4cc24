// Moves act in batches (one journal fsync for the intents, each folder fsynced once), and the
// losers of one cluster, which share their kept copy, act in one batch. Each step of a batch is
// still checked again right before it acts: a file changed after the batch's first checks, or a
// folder swapped for a link, is skipped, not moved.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueApply, executeRun, runOperations } from '../../engine/apply/index.ts';
import { loadConfig, loadEnv } from '../../engine/config/index.ts';
import { readJournal } from '../../engine/journal/index.ts';
import { tempDir } from '../helpers.ts';
import { buildFixture, type Fixture } from './fixture.ts';

const open: Fixture[] = [];
afterEach(() => {
  for (const fixture of open.splice(0)) fixture.close();
});

const losers = 6;
const content = 'the one content of the cluster';

/** One cluster: a kept copy and `losers` copies in folders of their own, archived by one decision. */
function cluster(): { fixture: Fixture; config: ReturnType<typeof loadConfig>; loser: (index: number) => string; kept: string } {
  const rel = (index: number) => `mike/d${index}/copy.txt`;
  const files = [{ rel: 'mike/kept/original.txt', content: Buffer.from(content) }, ...Array.from({ length: losers }, (_, index) => ({ rel: rel(index), content: Buffer.from(content) }))];
  const steps = Array.from({ length: losers }, (_, index) => ({
    op: 'move' as const,
    from: rel(index),
    to: `archive/reconciliation/{run}/${rel(index)}`,
    keeper: 'mike/kept/original.txt',
  }));
  const fixture = buildFixture(tempDir('reconcile-batch-'), files, [steps]);
  open.push(fixture);
  const config = loadConfig({ file: fixture.configFile, env: loadEnv({ RECONCILE_DATA_DIR: fixture.dataDir, NODE_ENV: 'test' }) });
  return { fixture, config, loser: (index) => path.join(fixture.space, rel(index)), kept: path.join(fixture.space, 'mike/kept/original.txt') };
}

/** Runs the queued work, calling `beforeAct(seq)` right before each step of a batch acts (after the batch's checks and intents). */
async function applyWith(fixture: Fixture, config: ReturnType<typeof loadConfig>, beforeAct: (seq: number) => void) {
  const queued = enqueueApply(fixture.db, config, 'test');
  if (queued.state === 'nothing') throw new Error('nothing queued');
  const journal = queued.run.journalPath;
  const summary = await executeRun(fixture.db, config, queued.run.id, {
    actor: 'test',
    progress: (progress) => {
      // A step acts once its intent is journaled; progress names it right before.
      const started = readJournal(journal).records.some((record) => record.t === 'intent' && record.seq === progress.done);
      if (started) beforeAct(progress.done);
    },
  });
  return { summary, runId: queued.run.id, records: readJournal(journal).records };
}

/** Rewrites a file in place with other bytes of the same size and puts its mtime back: only its bytes (and ctime) tell. */
function rewriteInPlace(file: string): void {
  const stat = fs.statSync(file);
  fs.writeFileSync(file, Buffer.alloc(stat.size, 'x'));
  fs.utimesSync(file, stat.atime, stat.mtime);
}

describe('a batch of moves', () => {
  it('acts on the losers of one cluster together and re-checks each right before it acts', async () => {
    const { fixture, config, loser, kept } = cluster();
    const seen = new Set<number>();
    const { summary, runId, records } = await applyWith(fixture, config, (seq) => {
      if (seen.has(seq)) return;
      seen.add(seq);
      // After the batch's checks passed: a source rewritten, then the kept copy the rest rely on.
      if (seq === 2) rewriteInPlace(loser(2));
      if (seq === 4) rewriteInPlace(kept);
    });

    // One batch: every intent was journaled before any outcome.
    const kinds = records.filter((record) => ['intent', 'done', 'skip', 'fail'].includes(record.t)).map((record) => record.t);
    expect(kinds.slice(0, losers)).toEqual(Array.from({ length: losers }, () => 'intent'));

    expect(summary).toMatchObject({ done: 3, skipped: 3, failed: 0 });
    const operations = runOperations(fixture.db, runId);
    expect(operations.map((op) => [op.status, op.reason])).toEqual([
      ['done', null],
      ['done', null],
      ['skipped', 'source-changed'],
      ['done', null],
      ['skipped', 'keeper-changed'],
      ['skipped', 'keeper-changed'],
    ]);
    // What was skipped stayed where it was.
    for (const index of [2, 4, 5]) expect(fs.existsSync(loser(index))).toBe(true);
    for (const index of [0, 1, 3]) expect(fs.existsSync(loser(index))).toBe(false);
  });

  it('skips a step whose folder became a link after the batch checked it', async () => {
    const { fixture, config, loser } = cluster();
    const { summary, runId } = await applyWith(fixture, config, (seq) => {
      if (seq !== 3 || fs.lstatSync(path.dirname(loser(3))).isSymbolicLink()) return;
      const folder = path.dirname(loser(3));
      fs.renameSync(folder, `${folder}-real`);
      fs.symlinkSync(`${folder}-real`, folder);
    });

    expect(summary).toMatchObject({ done: losers - 1, skipped: 1, failed: 0 });
    expect(runOperations(fixture.db, runId)[3]).toMatchObject({ status: 'skipped', reason: 'symlink-in-path' });
    expect(fs.existsSync(path.join(path.dirname(loser(3)) + '-real', 'copy.txt'))).toBe(true);
  });
});
