/**
 * The only module that reads process.env. Everything the process can be told through its
 * environment is declared here, validated once, and handed out as a typed object.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parse as parseDotenv } from 'dotenv';
import { UserError } from './errors.ts';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  /** Database, logs and caches. `./data` in a checkout, `/flux/apps/reconcile` on the server. */
  RECONCILE_DATA_DIR: z.string().default('data'),
  /** Config file (YAML or JSON) used when --config is not given. */
  RECONCILE_CONFIG: optionalString,
  /** Optional env file with secrets; it must be mode 0600 (checked before it is read). */
  RECONCILE_ENV_FILE: optionalString,
  /** Print stack traces of internal errors on the terminal. */
  RECONCILE_DEBUG: booleanFlag,
  RECONCILE_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** Where `next build` writes and `next start` reads; lets several builds live side by side. */
  RECONCILE_WEB_BUILD_DIR: z.string().default('.next'),
  /** Largest origin manifest the browser may upload (bytes, default 2 GiB); it streams to disk, never into memory. */
  RECONCILE_MANIFEST_UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(2 * 1024 ** 3),

  /**
   * Who may use the web app. `entra`: Microsoft Entra ID sign-in (next-auth), optionally behind
   * Cloudflare Access. `local`: no sign-in, every role, answered on loopback only — for the operator
   * at this machine and the demo. Never inferred as `local`: see checkAccessEnv.
   */
  RECONCILE_AUTH: z
    .enum(['local', 'entra', ''])
    .optional()
    .transform((value) => (value === '' ? undefined : value)),

  // Sign-in (Microsoft Entra ID through next-auth).
  NEXTAUTH_URL: optionalString,
  NEXTAUTH_SECRET: optionalString,
  ENTRA_TENANT_ID: optionalString,
  ENTRA_CLIENT_ID: optionalString,
  ENTRA_CLIENT_SECRET: optionalString,
  /** Overrides the OpenID issuer (tests point it at a local provider standing in for Entra). */
  ENTRA_ISSUER: optionalString,

  // Cloudflare Access in front of the app.
  CF_ACCESS_TEAM_DOMAIN: optionalString,
  CF_ACCESS_AUD: optionalString,
  /** Overrides the JWKS address (tests serve a local key set). */
  CF_ACCESS_JWKS_URL: optionalString,
  /** Allow requests without a Cloudflare header (direct over Tailscale); sign-in still required. */
  RECONCILE_ALLOW_DIRECT: booleanFlag,

  // Optional assist-only AI through an OpenAI-compatible gateway (LiteLLM). Off unless a URL is set.
  RECONCILE_AI_BASE_URL: optionalString,
  RECONCILE_AI_MODEL: optionalString,
  RECONCILE_AI_API_KEY: optionalString,
  RECONCILE_AI_TIMEOUT_MS: z.coerce.number().int().positive().default(15000),
  RECONCILE_AI_MAX_EXCERPT_BYTES: z.coerce.number().int().positive().default(4096),
});

export type Env = z.infer<typeof envSchema>;

/** Names whose values must never be logged or sent to a browser. */
export const secretEnvNames = ['NEXTAUTH_SECRET', 'ENTRA_CLIENT_SECRET', 'RECONCILE_AI_API_KEY'] as const;

let cached: Env | undefined;

/** Reads the optional env file (refusing one readable by others), then validates the environment. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  if (cached && source === process.env) return cached;
  const merged: Record<string, string | undefined> = { ...source };
  const envFile = source.RECONCILE_ENV_FILE?.trim();
  if (envFile) {
    for (const [key, value] of Object.entries(readEnvFile(envFile))) {
      if (merged[key] === undefined) merged[key] = value;
    }
  }
  const parsed = envSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`environment variable ${issue.path.join('.')}: ${issue.message}`);
  }
  const env = { ...parsed.data, RECONCILE_DATA_DIR: path.resolve(parsed.data.RECONCILE_DATA_DIR) };
  if (source === process.env) cached = env;
  return env;
}

export function readEnvFile(file: string): Record<string, string> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new UserError(`env file ${file}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    throw new UserError(`env file ${file}: mode ${mode} lets other users read secrets; run chmod 600 ${file}`);
  }
  return parseDotenv(fs.readFileSync(file, 'utf8'));
}

/**
 * The environment for a child process (the web server, a worker): the parent's, plus overrides.
 * Child processes validate it again with loadEnv.
 */
export function childEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Settings that belong to Entra sign-in or Cloudflare Access: none of them may be set in local mode. */
const signInSettings = [
  'ENTRA_TENANT_ID',
  'ENTRA_CLIENT_ID',
  'ENTRA_CLIENT_SECRET',
  'ENTRA_ISSUER',
  'NEXTAUTH_URL',
  'NEXTAUTH_SECRET',
  'CF_ACCESS_TEAM_DOMAIN',
  'CF_ACCESS_AUD',
  'CF_ACCESS_JWKS_URL',
  'RECONCILE_ALLOW_DIRECT',
] as const;

/**
 * Sign-in mode. Local mode hands every role to whoever reaches the port, so it is only ever an
 * explicit choice (RECONCILE_AUTH=local), never what a missing or mistyped setting falls back to.
 * An unset RECONCILE_AUTH with an Entra tenant configured is Entra (the fail-closed reading).
 */
export function authMode(env: Env): 'entra' | 'local' {
  if (env.RECONCILE_AUTH) return env.RECONCILE_AUTH;
  if (env.ENTRA_TENANT_ID) return 'entra';
  throw new UserError(
    'environment: RECONCILE_AUTH is not set and no Entra ID sign-in is configured. Set RECONCILE_AUTH=local to run for the ' +
      'operator at this machine only (no sign-in, every role, loopback only), or RECONCILE_AUTH=entra with ENTRA_TENANT_ID, ' +
      'ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET, NEXTAUTH_URL and NEXTAUTH_SECRET to let others sign in',
  );
}

/**
 * Sign-in and Cloudflare Access settings only make sense together: the web server refuses half a
 * configuration, or local mode beside sign-in settings, rather than silently running with less
 * protection than intended. Returns the mode.
 */
export function checkAccessEnv(env: Env): 'entra' | 'local' {
  const mode = authMode(env);
  if (mode === 'local') {
    const present = signInSettings.filter((name) => Boolean(env[name]));
    if (present.length > 0) {
      throw new UserError(
        `environment: RECONCILE_AUTH=local, but ${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set. Local mode gives ` +
          'every caller every role without sign-in, so it does not run beside sign-in settings: remove them, or set RECONCILE_AUTH=entra',
      );
    }
    return mode;
  }
  const missing = (['ENTRA_TENANT_ID', 'ENTRA_CLIENT_ID', 'ENTRA_CLIENT_SECRET', 'NEXTAUTH_URL', 'NEXTAUTH_SECRET'] as const).filter((name) => !env[name]);
  if (missing.length > 0) throw new UserError(`environment: Entra sign-in (RECONCILE_AUTH=entra) needs ${missing.join(', ')} too`);
  if (!/^https?:\/\/[^/]+/.test(env.NEXTAUTH_URL!)) throw new UserError('environment variable NEXTAUTH_URL: must be the app\'s absolute URL, e.g. https://reconcile.example.com');
  if (env.NEXTAUTH_SECRET!.length < 32) throw new UserError('environment variable NEXTAUTH_SECRET: must be at least 32 characters (openssl rand -base64 32)');
  if (Boolean(env.CF_ACCESS_TEAM_DOMAIN) !== Boolean(env.CF_ACCESS_AUD)) {
    throw new UserError('environment: CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD must be set together (Cloudflare Access needs both)');
  }
  if (env.RECONCILE_ALLOW_DIRECT && !env.CF_ACCESS_TEAM_DOMAIN) {
    throw new UserError('environment: RECONCILE_ALLOW_DIRECT only applies when Cloudflare Access is configured (CF_ACCESS_TEAM_DOMAIN, CF_ACCESS_AUD)');
  }
  return mode;
}
