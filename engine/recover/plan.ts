/** Per source, what to fetch and how: the state from the latest plan with its lists, commands and scripts. */
import path from 'node:path';
import { UserError, type Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { describeRecovery, type SourceRecovery } from './commands.ts';
import { recoveryState } from './status.ts';

export interface RecoveryPlan {
  /** The plan run the state was read from (null before the first plan). */
  planRunId: number | null;
  /** The folder the lists and scripts are written to (the commands name files there). */
  dir: string;
  sources: SourceRecovery[];
}

/** Lists and scripts live with the database, outside the space: they are about it, not in it. */
export function defaultRecoveryDir(config: Config): string {
  return path.join(config.dataDir, 'recovery');
}

export function recoveryPlan(db: Db, config: Config, options: { dir?: string; sources?: readonly string[] } = {}): RecoveryPlan {
  const unknown = (options.sources ?? []).filter((id) => !config.sources.some((source) => source.id === id));
  if (unknown.length > 0) throw new UserError(`unknown source ${unknown.join(', ')} (config ${config.file ?? 'none'})`);
  const dir = path.resolve(/*turbopackIgnore: true*/ options.dir ?? defaultRecoveryDir(config));
  const planRunId = (db.prepare('SELECT MAX(id) FROM PlanRun').pluck().get() as number | null) ?? null;
  const sources = recoveryState(db, config, options.sources ?? []).map((state) => describeRecovery(config, state, dir));
  return { planRunId, dir, sources };
}
