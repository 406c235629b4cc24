import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { z } from 'zod';
import { checkAccessEnv, childEnv, UserError } from '../../config/index.ts';
import { projectRoot } from '../../project.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';
import { superviseWorker } from '../jobs.ts';

const flagsSchema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().min(1).max(65535),
  worker: z.boolean().default(true),
});

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the web app (production build) for review, apply and audit')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '3000')
    .option('--no-worker', 'do not start the job worker (run reconcile worker separately)')
    .action(async (_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      const mode = checkAccessEnv(ctx.config.env);
      if (mode === 'local' && !isLoopback(flags.host)) {
        throw new UserError(
          `local sign-in mode listens only on a loopback address, not ${flags.host}; ` +
            'configure Entra ID sign-in (RECONCILE_AUTH=entra, ENTRA_TENANT_ID, ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET) to listen elsewhere',
        );
      }
      ctx.db(); // brings the schema up to date before the web app opens it
      ctx.close();
      const root = projectRoot();
      const buildDir = path.resolve(root, ctx.config.env.RECONCILE_WEB_BUILD_DIR);
      if (!fs.existsSync(path.join(buildDir, 'BUILD_ID'))) {
        throw new UserError(`no web build in ${buildDir}; run npm run build first`);
      }
      const nextBin = createRequire(path.join(root, 'package.json')).resolve('next/dist/bin/next');
      const url = `http://${flags.host.includes(':') ? `[${flags.host}]` : flags.host}:${flags.port}`;
      ctx.logger.info({ host: flags.host, port: flags.port, mode }, 'serve: starting web app');
      ctx.say(`Reconcile ${mode === 'local' ? '(local mode) ' : ''}on ${url}`);
      const env = childEnv({
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        RECONCILE_DATA_DIR: ctx.config.dataDir,
        RECONCILE_CONFIG: ctx.config.file,
        // next-auth reads its own URL from the process environment, even when it came from the env file.
        NEXTAUTH_URL: ctx.config.env.NEXTAUTH_URL,
      });
      const child = spawn(process.execPath, [nextBin, 'start', '-H', flags.host, '-p', String(flags.port)], {
        cwd: root,
        stdio: ['ignore', ctx.json ? 'ignore' : 'inherit', 'inherit'],
        env,
      });
      const worker = flags.worker ? superviseWorker(ctx, env) : undefined;
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
      const code = await new Promise<number>((resolve) => child.on('exit', (status) => resolve(status ?? 0)));
      worker?.stop();
      process.exitCode = code;
    });
}
