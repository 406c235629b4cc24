import type { Command } from 'commander';
import { formatBytes } from '../../format.ts';
import { outcomeExitCodes, verify, type Verification } from '../../verify/index.ts';
import { createContext } from '../context.ts';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('prove by reading bytes that every content is conserved and every origin entry accounted for: complete (exit 0), outstanding (3) or failed (1)')
    .argument('[run]', 'check this apply run (an id, or latest); without it, the whole space')
    .action(async (run: string | undefined, _options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      try {
        const started = performance.now();
        const result = await verify(ctx.db(), ctx.config, {
          ...(run === undefined ? {} : { run }),
          onPhase: (phase) => {
            const elapsedMs = Math.round(performance.now() - started);
            if (ctx.json) {
              if (!ctx.quiet) process.stderr.write(`${JSON.stringify({ event: 'progress', phase, elapsedMs })}\n`);
            } else if (!ctx.quiet && process.stderr.isTTY && phase !== 'done') process.stderr.write(`verifying: ${phase}…\n`);
          },
        });
        ctx.result(result, () => renderVerification(result));
        process.exitCode = outcomeExitCodes[result.outcome];
      } finally {
        ctx.close();
      }
    });
}

/** The human form: the outcome on the first line, then each section with its samples. */
export function renderVerification(result: Verification): string {
  const { operations, conservation, origins } = result;
  // Verifications stored before waivers existed carry none.
  const waived = origins.waived ?? { files: 0, bytes: 0 };
  const scope = result.runId === null ? 'the space' : `run ${result.runId}`;
  const mark = (ok: boolean) => (ok ? 'ok  ' : 'FAIL');
  const pending = (ok: boolean) => (ok ? 'ok  ' : 'TODO');
  const headline =
    result.outcome === 'complete'
      ? `complete: ${scope}: every origin entry accounted for${waived.files > 0 ? ` (${waived.files} waived)` : ''}, every content conserved`
      : result.outcome === 'outstanding'
        ? `outstanding: ${scope}: nothing lost; ${origins.outstanding.files} origin entries (${formatBytes(origins.outstanding.bytes)}) still to fetch from ${origins.sources.filter((source) => source.outstanding.files > 0).map((source) => source.source).join(', ')}`
        : `FAILED: ${scope}: ${[conservation.lostCount ? `${conservation.lostCount} content(s) lost` : '', operations.problemCount ? `${operations.problemCount} operation problem(s)` : ''].filter(Boolean).join(', ')}`;
  const lines = [
    headline,
    `     read again: ${result.read.files} files, ${formatBytes(result.read.bytes)}; checked ${result.checkedAt}`,
    `${mark(operations.problemCount === 0)} operations: ${operations.checked} checked, ${operations.problemCount} problem(s)`,
    ...operations.problems.map((problem) => `       ${problem.problem}: ${problem.path} (run ${problem.runId})`),
    `${mark(conservation.lostCount === 0)} content conservation: ${conservation.contents} contents, ${conservation.inReconciliation} kept only in the archive or conflicts by a decision, ${conservation.lostCount} lost`,
    ...conservation.lost.map((lost) => {
      const what = `${lost.hash ?? 'unhashed file'} (${formatBytes(lost.size)})`;
      const where = lost.survivesAt.length ? ` survives only at ${lost.survivesAt.join(', ')};` : '';
      const hint = lost.touchedByRun ? '' : lost.reason === 'changed-since-scan' ? ' (rescan if the change was meant)' : ' (no run moved it: it changed or vanished since the scan)';
      return `       ${lost.reason}: ${what}${where} last seen at ${lost.lastSeen.join(', ')}${hint}`;
    }),
    `${pending(origins.outstanding.files === 0)} origin entries: ${origins.entries} (present ${origins.present}, of them ${origins.weak} by size only; outstanding ${origins.outstanding.files})`,
    ...origins.sources
      .filter((source) => source.outstanding.files > 0)
      .flatMap((source) => [
        `       ${source.source}: ${source.outstanding.files} outstanding (${Object.entries(source.byReason).map(([reason, tally]) => `${reason} ${tally.files}`).join(', ')})`,
        ...source.sample.map((entry) => `         ${entry.reason}: ${entry.originPath}${entry.remedy ? ` — ${entry.remedy}` : ''}`),
        ...(source.outstanding.files > source.sample.length ? [`         … and ${source.outstanding.files - source.sample.length} more`] : []),
      ]),
    ...(waived.files > 0 ? [`ok   waived by the owner (accounted for, not fetched): ${waived.files} origin entries (${formatBytes(waived.bytes)})`] : []),
    ...origins.sources
      .filter((source) => (source.waived?.files ?? 0) > 0)
      .flatMap((source) => [
        `       ${source.source}: ${source.waived.files} waived`,
        ...source.waivedSample.map((entry) => `         ${entry.reason}: ${entry.originPath} — waived by ${entry.decidedBy} on ${entry.decidedAt.slice(0, 10)}: ${entry.waiver}`),
        ...(source.waived.files > source.waivedSample.length ? [`         … and ${source.waived.files - source.waivedSample.length} more`] : []),
      ]),
  ];
  return lines.join('\n');
}
