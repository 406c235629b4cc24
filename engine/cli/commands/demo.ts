import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../config/index.ts';
import { generateScenario, readExpected, type ScenarioProgress } from '../../scenario/index.ts';
import { formatBytes } from '../../format.ts';
import { createContext, type Context } from '../context.ts';
import { parseFlags } from '../flags.ts';

const flagsSchema = z.object({
  out: z.string().min(1).optional(),
  seed: z.coerce.number().int().default(1),
  scale: z.coerce.number().int().min(1).max(1000).default(1),
  force: z.boolean().default(false),
});

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('write the demo scenario: several sources landed in one space, with planted problems and expected.json')
    .option('-o, --out <dir>', 'folder to write into (default: <data dir>/demo)')
    .option('--seed <n>', 'seed: the same seed writes the same scenario', '1')
    .option('--scale <n>', 'size knob: 1 = a few hundred files; n multiplies files and planted problems', '1')
    .option('-f, --force', 'replace an earlier demo scenario in that folder')
    .action((_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      const dir = path.resolve(flags.out ?? path.join(ctx.config.dataDir, 'demo'));
      prepareFolder(dir, flags.force);
      ctx.say(`writing the demo scenario (seed ${flags.seed}, scale ${flags.scale}) to ${dir} ...`);
      const progress = createProgress(ctx);
      let scenario;
      try {
        scenario = generateScenario({ dir, seed: flags.seed, scale: flags.scale, onProgress: progress.update });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // A full disk or a folder that cannot be created is the user's to fix, not a bug.
        if (code) throw new UserError(`cannot write the demo scenario to ${dir}: ${(error as Error).message}`);
        throw error;
      } finally {
        progress.stop();
      }
      const { counts } = scenario.expected;
      ctx.logger.info({ dir, seed: flags.seed, scale: flags.scale, counts }, 'demo: scenario written');
      const relative = path.relative(process.cwd(), scenario.config);
      const config = relative.startsWith('..') ? scenario.config : relative;
      const next = ['scan', 'findings', 'plan', 'serve'].map((name) => `  reconcile --config ${config} ${name}`);
      const step = (args: string, why: string) => `  reconcile --config ${config} ${args.padEnd(24)} # ${why}`;
      const loop = [
        step('decide --approve-all', 'or approve in the browser'),
        step('run', 'apply, verify (outstanding: the origins still hold what the space lacks)'),
        step('recover', 'per source: what to fetch, the list and the command (or the script for the PC)'),
        step('recover --fetch', `fetch from the origin trees in ${path.join(dir, 'origins')} (rsync, rclone)`),
        step('scan', 'the fetched files in the recovery folders'),
        step('plan', 'each one matched to what it answers, proposed for its place'),
        step('decide --approve-all', 'or review the placements in the browser'),
        step('run', 'apply the placements, verify again: complete'),
      ];
      ctx.result({ dir, config: scenario.config, expected: scenario.expectedFile, seed: flags.seed, scale: flags.scale, counts }, () =>
        [
          `demo scenario: ${counts.files} files, ${formatBytes(counts.bytes)} in ${scenario.space}`,
          `  planted: ${Object.entries(counts.findings).map(([kind, count]) => `${count} ${kind}`).join(', ')}; ${counts.clean} clean files`,
          `  config:   ${scenario.config}`,
          `  expected: ${scenario.expectedFile}`,
          'next:',
          ...next,
          `the recovery loop, walked on this machine (${scenario.expected.recovery.length} origin entries to fetch):`,
          ...loop,
        ].join('\n'),
      );
      ctx.close();
    });
}

/** A bar on a terminal, JSON lines with --json, nothing with --quiet or when stderr is not a terminal. */
function createProgress(ctx: Context): { update(progress: ScenarioProgress): void; stop(): void } {
  if (ctx.quiet) return { update() {}, stop() {} };
  if (ctx.json) return { update: (progress) => process.stderr.write(`${JSON.stringify({ event: 'progress', ...progress })}\n`), stop() {} };
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'demo {step} |{bar}| {value}/{total} | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(progress) {
      if (!started) bar.start(progress.total, 0, { step: progress.step });
      started = true;
      bar.update(progress.done, { step: progress.step.padEnd(11) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * An empty or absent folder is used as is. A non-empty one is replaced only with --force and only
 * when it holds an earlier scenario (its expected.json), so a typo in --out never clears real data.
 */
function prepareFolder(dir: string, force: boolean): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new UserError(`${dir}: cannot be read (${code})`);
  }
  if (names.length === 0) return;
  if (!force) throw new UserError(`${dir} is not empty; pass --force to replace an earlier demo scenario, or choose another --out`);
  const expectedFile = path.join(dir, 'expected.json');
  let unreadable: string[];
  try {
    unreadable = readExpected(expectedFile).unreadable;
  } catch {
    throw new UserError(`${dir} is not empty and does not hold a demo scenario (no valid expected.json); refusing to replace it`);
  }
  // Mode-000 folders would stop a non-root user from clearing the tree.
  for (const folder of unreadable) {
    const full = path.join(dir, 'space', folder);
    if (fs.existsSync(full)) fs.chmodSync(full, 0o755);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
