import type { Command } from 'commander';
import { verifyRun } from '../../verify/index.ts';
import { createContext } from '../context.ts';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('check an apply run: content conservation, origin entries accounted for, written files hash as planned')
    .argument('[run]', 'run id, or latest', 'latest')
    .action((run: string, _options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      try {
        const result = verifyRun(ctx.db(), run);
        ctx.result(result, () => {
          const mark = (ok: boolean) => (ok ? 'ok  ' : 'FAIL');
          const { operations, conservation, origins } = result;
          return [
            `verification of run ${result.runId}: ${result.ok ? 'passed' : 'FAILED'}`,
            `${mark(operations.ok)} operations: ${operations.checked} checked, ${operations.problems.length} problem(s)`,
            ...operations.problems.map((problem) => `       ${problem.problem}: ${problem.path}`),
            `${mark(conservation.ok)} content conservation: ${conservation.hashes} distinct contents, ${conservation.missing.length} missing`,
            ...conservation.missing.map((item) => `       ${item.hash} last seen at ${item.paths.join(', ')}`),
            `${mark(origins.ok)} origin entries: ${origins.entries} (present ${origins.present}, placeholder ${origins.placeholder}, partial ${origins.partial}, known missing ${origins.missingKnown}, unaccounted ${origins.unaccounted.length})`,
            ...origins.unaccounted.map((item) => `       unaccounted: ${item.source} ${item.path}`),
          ].join('\n');
        });
        if (!result.ok) process.exitCode = 1;
      } finally {
        ctx.close();
      }
    });
}
