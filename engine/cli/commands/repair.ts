import type { Command } from 'commander';
import { repairRuns } from '../../apply/index.ts';
import { createContext } from '../context.ts';

export function registerRepair(program: Command): void {
  program
    .command('repair')
    .description('rebuild apply runs the database lost (power loss, restored backup) from their journals in the space')
    .action((_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      try {
        const result = repairRuns(ctx.db(), ctx.config);
        ctx.result(result, () =>
          [
            result.rebuilt.length === 0
              ? `nothing to repair: ${result.journals} run journal(s), every one known to the database`
              : `rebuilt ${result.rebuilt.length} run(s) from their journals`,
            ...result.rebuilt.map(
              (run) => `  run ${run.runId}: ${run.status}, ${run.operations} of ${run.of} operations journaled${run.operations < run.of ? ' (the others never ran)' : ''}`,
            ),
          ].join('\n'),
        );
      } finally {
        ctx.close();
      }
    });
}
