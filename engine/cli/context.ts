/**
 * What every command gets: the validated config, the output mode, and lazily opened resources.
 * Commands stay small: parse their own flags with zod, call engine stages, print through `out`.
 */
import { loadConfig, resolveConfigPath, loadEnv, type Config } from '../config/index.ts';
import { openDatabase, type Db } from '../db/index.ts';
import { createLogger, type Logger } from '../log/index.ts';

export interface GlobalOptions {
  config?: string;
  json?: boolean;
  quiet?: boolean;
}

export interface Context {
  json: boolean;
  quiet: boolean;
  config: Config;
  db(): Db;
  logger: Logger;
  /** Human text to stdout (suppressed with --json). */
  say(text: string): void;
  /** The command's result: JSON with --json, else the human rendering. */
  result(data: unknown, human?: () => string): void;
  close(): void;
}

export function createContext(options: GlobalOptions): Context {
  const env = loadEnv();
  const config = loadConfig({ file: resolveConfigPath(options.config, env), env });
  const logger = createLogger({ file: config.logFile, level: env.RECONCILE_LOG_LEVEL });
  const json = options.json === true;
  let db: Db | undefined;
  return {
    json,
    quiet: options.quiet === true,
    config,
    logger,
    db() {
      db ??= openDatabase(config.databasePath);
      return db;
    },
    say(text) {
      if (!json && options.quiet !== true) process.stdout.write(`${text}\n`);
    },
    result(data, human) {
      if (json) process.stdout.write(`${JSON.stringify(data, jsonReplacer)}\n`);
      else if (human) process.stdout.write(`${human()}\n`);
    },
    close() {
      db?.close();
      db = undefined;
    },
  };
}

/** BigInt and Buffer values appear in catalog rows; JSON gets them as a number/string and base64. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return value;
}
