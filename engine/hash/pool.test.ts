/**
 * HashPool spreads batches over its workers. A named pipe with no writer holds the worker that
 * opens it: a batch sent beside it finishes only when it went to another worker, so a pool that
 * queues both on one worker fails here by timing out (no clock is measured).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.ts';
import { HashPool, type HashResult, type HashTask } from './index.ts';

const sha1 = (data: Buffer) => crypto.createHash('sha1').update(data).digest('hex');
const opened: { pool: HashPool; pipe: string }[] = [];

function task(id: number, file: string): HashTask {
  const stat = fs.lstatSync(file, { bigint: true });
  return { id, path: Buffer.from(file), kind: 'sha1', size: stat.size, dev: stat.dev, ino: stat.ino };
}

/** A pool with a named pipe whose reader blocks until `release`. */
function blockingPipe(): { pool: HashPool; pipe: string; dir: string } {
  const dir = tempDir('reconcile-pool-');
  const pipe = path.join(dir, 'pipe');
  execFileSync('mkfifo', [pipe]);
  const pool = new HashPool({ workers: 2 });
  opened.push({ pool, pipe });
  return { pool, pipe, dir };
}

/** Lets the worker blocked on the pipe go on (an empty read): a writer opens and closes it. */
async function release(pipe: string): Promise<void> {
  for (;;) {
    try {
      fs.closeSync(fs.openSync(pipe, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
      return;
    } catch (error) {
      // ENXIO: the worker has not opened it yet.
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
      await sleep(10);
    }
  }
}

afterEach(async () => {
  for (const { pool, pipe } of opened.splice(0)) {
    try {
      fs.closeSync(fs.openSync(pipe, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
    } catch {
      // Nobody is reading it any more.
    }
    await pool.close();
  }
});

describe('HashPool', () => {
  it('sends batches submitted together to different idle workers', { timeout: 20_000 }, async () => {
    const { pool, pipe, dir } = blockingPipe();
    const data = Buffer.from('free to go');
    fs.writeFileSync(path.join(dir, 'file'), data);
    const blocked = pool.hash([task(1, pipe)]);
    const free = pool.hash([task(2, path.join(dir, 'file'))]);
    expect((await free)[0]).toMatchObject({ id: 2, digest: sha1(data) });
    await release(pipe);
    expect((await blocked)[0]).toMatchObject({ id: 1, digest: sha1(Buffer.alloc(0)) });
  });

  it('runs the batches of one run on different workers', { timeout: 20_000 }, async () => {
    const { pool, pipe, dir } = blockingPipe();
    // The pipe and 8 MiB fill the first batch; the small file travels in the second.
    const big = crypto.randomBytes(8 * 1024 * 1024);
    fs.writeFileSync(path.join(dir, 'big'), big);
    const small = Buffer.from('second batch');
    fs.writeFileSync(path.join(dir, 'small'), small);
    const batches: HashResult[][] = [];
    let secondDone!: () => void;
    const second = new Promise<void>((resolve) => (secondDone = resolve));
    const running = pool.run([task(1, pipe), task(2, path.join(dir, 'big')), task(3, path.join(dir, 'small'))], (results) => {
      batches.push(results);
      if (results.some((result) => result.id === 3)) secondDone();
    });
    await second;
    expect(batches).toEqual([[expect.objectContaining({ id: 3, digest: sha1(small) })]]);
    await release(pipe);
    await running;
    expect(batches[1]!.map((result) => result.digest)).toEqual([sha1(Buffer.alloc(0)), sha1(big)]);
  });
});
