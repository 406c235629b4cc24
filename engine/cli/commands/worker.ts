import type { Command } from 'commander';
import { z } from 'zod';
import { runWorker, workerIdentity } from '../../jobs/index.ts';
import { jobHandlers } from '../job-handlers.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';
import { progressReporter } from '../jobs.ts';

const flagsSchema = z.object({
  untilIdle: z.boolean().default(false),
  pollMs: z.coerce.number().int().min(50).max(60_000).default(1000),
});

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run queued jobs (apply, rollback); takes over jobs whose worker died')
    .option('--until-idle', 'exit once the queue is empty')
    .option('--poll-ms <ms>', 'how often to look for new jobs', '1000')
    .action(async (_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      const db = ctx.db();
      const owner = workerIdentity();
      const stop = new AbortController();
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
      const reporter = progressReporter(ctx, 'worker');
      ctx.logger.info({ owner }, 'worker: started');
      const outcomes: { job: number; kind: string; status: string; error?: string }[] = [];
      try {
        await runWorker(db, {
          handlers: jobHandlers(db, ctx.config),
          owner,
          pollMs: flags.pollMs,
          untilIdle: flags.untilIdle,
          signal: stop.signal,
          onProgress: (_job, progress) => reporter.update(progress),
          onJob: (job, outcome) => {
            ctx.logger.info({ job: job.id, kind: job.kind, status: outcome.status, error: outcome.error }, 'worker: job ended');
            ctx.say(`job ${job.id} (${job.kind}) ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''}`);
            outcomes.push({ job: job.id, kind: job.kind, status: outcome.status, error: outcome.error });
          },
        });
      } finally {
        reporter.stop();
        ctx.close();
      }
      ctx.result({ owner, jobs: outcomes }, () => `worker ${owner}: ${outcomes.length} job(s) run`);
      if (outcomes.some((outcome) => outcome.status === 'failed')) process.exitCode = 1;
    });
}
