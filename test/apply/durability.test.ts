// What reaches the disk, seen at the system call: the folders a new journal lives in are fsynced
// into their parents, and after a failed fsync of the journal nothing is written to it again by
// that process (a retry could succeed with the data lost: fsyncgate).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { getRun } from '../../engine/apply/index.ts';
import { readJournal } from '../../engine/journal/index.ts';
import { runCli } from '../helpers.ts';
import { archivedDuplicateMoves } from './fixture.ts';
import { runInjected, straceUnavailable, traceCli } from './syscalls.ts';

const unavailable = straceUnavailable();
const moves = (count: number) => archivedDuplicateMoves('reconcile-durable-', count);

describe('durability at the system call', () => {
  beforeEach((ctx) => {
    if (unavailable) ctx.skip(unavailable);
  });

  it('fsyncs the parent of every folder it creates for a new journal', () => {
    const fixture = moves(1);
    const traced = traceCli(['--config', fixture.configFile, 'apply'], { dataDir: fixture.dataDir, calls: ['mkdir', 'mkdirat', 'fsync'] });
    expect(traced.status, traced.stderr).toBe(0);
    const runId = fixture.db.prepare('SELECT id FROM ApplyRun').pluck().get() as string;
    const journal = path.join(fixture.space, 'journal');
    for (const folder of [journal, path.join(journal, 'reconciliation'), path.join(journal, 'reconciliation', runId)]) {
      const made = traced.trace.findIndex((line) => line.includes(`mkdir("${folder}"`) && line.endsWith('= 0'));
      expect(made, `mkdir of ${folder}`).toBeGreaterThanOrEqual(0);
      const parentSynced = traced.trace.slice(made).some((line) => line.includes(`fsync(`) && line.includes(`<${path.dirname(folder)}>)`) && line.endsWith('= 0'));
      expect(parentSynced, `fsync of ${path.dirname(folder)} after creating ${folder}`).toBe(true);
    }
  });

  it('stops at a failed fsync of the journal and writes to it no more; a new process resumes', async () => {
    const fixture = moves(5);
    const queued = runCli(['--config', fixture.configFile, '--json', 'apply', '--queue'], { dataDir: fixture.dataDir });
    const runId = (JSON.parse(queued.stdout) as { run: { id: string } }).run.id;
    const journalFile = getRun(fixture.db, runId)!.journalPath;
    const traceFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-trace-')), 'trace');
    // The third fsync of the journal (after its creation and the begin record: the intents of the
    // batch of five moves, made durable together) returns EIO; nothing has acted yet.
    const failing = runInjected(['--config', fixture.configFile, 'apply'], {
      dataDir: fixture.dataDir,
      calls: ['fsync', 'fdatasync'],
      onPath: journalFile,
      action: { error: 'EIO' },
      when: 3,
      traceFile,
    });
    const { code } = await failing.exited;
    expect(code, failing.stderr()).toBe(1);
    expect(failing.stderr()).toMatch(/fsync of .*journal\.jsonl failed \(EIO\)/);
    const syncs = fs.readFileSync(traceFile, 'utf8').split('\n').filter((line) => line.includes('fsync('));
    expect(syncs).toHaveLength(3);
    expect(syncs.at(-1)).toMatch(/EIO/);
    expect(readJournal(journalFile).records.map((record) => record.t).filter((t) => t === 'fail' || t === 'end')).toEqual([]);

    const resumed = runCli(['--config', fixture.configFile, '--json', 'apply'], { dataDir: fixture.dataDir });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ state: 'resumed', summary: { done: 5, failed: 0 }, verification: { outcome: 'complete' } });
  });
});
