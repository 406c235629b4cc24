/**
 * The web app's view of the configuration. Server-only: the browser receives just `publicConfig`.
 */
import 'server-only';
import { authMode, loadConfig, loadEnv, type Config } from '../engine/config/index.ts';
import { projectVersion } from '../engine/project.ts';

let cached: Config | undefined;

export function serverConfig(): Config {
  if (!cached) {
    const env = loadEnv();
    cached = loadConfig({ file: env.RECONCILE_CONFIG, env });
  }
  return cached;
}

/** What the browser may know about the server: nothing secret. */
export interface PublicConfig {
  version: string;
  authMode: 'local' | 'entra';
  space: string;
  aiEnabled: boolean;
}

export function publicConfig(): PublicConfig {
  const config = serverConfig();
  return {
    version: projectVersion(),
    authMode: authMode(config.env),
    space: config.space,
    aiEnabled: Boolean(config.env.RECONCILE_AI_BASE_URL),
  };
}
