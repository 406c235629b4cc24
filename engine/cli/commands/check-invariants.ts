import type { Command } from 'commander';
import { checkInvariants } from '../../plan/index.ts';
import { createContext } from '../context.ts';

export function registerCheckInvariants(program: Command): void {
  program
    .command('check-invariants')
    .description('report duplicate working trees outside the allowed roles, sync loops in the config, planned writes outside the space')
    .action((_options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const result = checkInvariants(ctx.db(), ctx.config);
      ctx.result(result, () =>
        result.ok ? 'invariants hold' : result.violations.map((violation) => `${violation.invariant}: ${violation.message}`).join('\n'),
      );
      if (!result.ok) process.exitCode = 1;
      ctx.close();
    });
}
