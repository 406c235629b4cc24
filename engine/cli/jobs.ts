/**
 * Running a queued job from a CLI command: lease it here and run it with a progress bar (or
 * JSON-line progress on stderr with --json); when a live worker already holds it, follow its
 * progress from the database until it ends. Also the worker process `serve` runs beside the web app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import { getJob, leaseJob, runLeasedJob, workerIdentity, type JobHandler, type JobProgress, type JobRow } from '../jobs/index.ts';
import { projectRoot } from '../project.ts';
import type { Context } from './context.ts';

export interface JobOutcome {
  status: 'succeeded' | 'failed' | 'lost';
  result?: unknown;
  error?: string;
}

/** Progress for humans (a bar on a TTY) or machines (JSON lines on stderr). */
export function progressReporter(ctx: Context, label: string): { update(progress: JobProgress): void; stop(): void } {
  if (ctx.quiet) return { update() {}, stop() {} };
  if (ctx.json) {
    let last = 0;
    return {
      update(progress) {
        const at = Date.now();
        if (at - last < 200 && progress.done < progress.total) return;
        last = at;
        process.stderr.write(`${JSON.stringify({ event: 'progress', job: label, ...progress })}\n`);
      },
      stop() {},
    };
  }
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {phase} {message}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(progress) {
      const message = (progress.message ?? '').slice(-50);
      if (!started) {
        bar.start(progress.total, progress.done, { phase: progress.phase, message });
        started = true;
      }
      bar.setTotal(progress.total);
      bar.update(progress.done, { phase: progress.phase, message });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export async function runJobHere(ctx: Context, job: JobRow, handler: JobHandler, label: string): Promise<JobOutcome> {
  const db = ctx.db();
  const reporter = progressReporter(ctx, label);
  try {
    const owner = workerIdentity();
    let following = false;
    for (;;) {
      // Taken over here as soon as the worker holding it stops heartbeating or dies.
      const leased = leaseJob(db, owner, { jobId: job.id });
      if (leased) return await runLeasedJob(db, leased, owner, handler, { onProgress: reporter.update });
      const current = getJob(db, job.id)!;
      if (!following && current.status === 'running') {
        ctx.say(`job ${job.id} is being run by ${current.leaseOwner ?? 'a worker'}; following its progress`);
        following = true;
      }
      if (current.progressJson) reporter.update(JSON.parse(current.progressJson) as JobProgress);
      if (current.status === 'succeeded' || current.status === 'failed' || current.status === 'cancelled') {
        return {
          status: current.status === 'succeeded' ? 'succeeded' : 'failed',
          result: current.resultJson ? JSON.parse(current.resultJson) : undefined,
          error: current.error ?? undefined,
        };
      }
      await sleep(500);
    }
  } finally {
    reporter.stop();
  }
}

/**
 * Runs `reconcile worker` as a child process beside the web server, restarting it if it dies
 * (its jobs resume from their journals); stop() ends it with the server.
 */
export function superviseWorker(ctx: Context, env: NodeJS.ProcessEnv): { stop(): void } {
  let child: ChildProcess | undefined;
  let stopping = false;
  const start = () => {
    child = spawn(process.execPath, [path.join(projectRoot(), 'bin/reconcile.js'), 'worker'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    ctx.logger.info({ pid: child.pid }, 'serve: worker started');
    child.on('exit', (code, signal) => {
      if (stopping) return;
      ctx.logger.warn({ code, signal }, 'serve: worker exited; restarting');
      setTimeout(start, 1000).unref();
    });
  };
  start();
  return {
    stop() {
      stopping = true;
      child?.kill('SIGTERM');
    },
  };
}
