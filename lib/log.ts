/**
 * The web app's logger: the engine's (JSON lines in the data directory's log file, secrets
 * redacted by key). Free of `server-only`: the proxy imports lib/auth/options.ts, which logs here.
 */
import { loadConfig, loadEnv } from '../engine/config/index.ts';
import { createLogger, type Logger } from '../engine/log/index.ts';

let cached: Logger | undefined;

export function webLogger(): Logger {
  if (!cached) {
    const env = loadEnv();
    const { logFile } = loadConfig({ file: env.RECONCILE_CONFIG, env });
    cached = createLogger({ file: logFile, level: env.RECONCILE_LOG_LEVEL, name: 'reconcile-web' });
  }
  return cached;
}
