/**
 * The access-control view of the configuration, shared by proxy.ts (which runs before any page or
 * route handler) and the server code. Kept free of `server-only` so the proxy can import it.
 */
import { checkAccessEnv, loadConfig, loadEnv, type AccessConfig, type Env } from '../../engine/config/index.ts';

export interface CloudflareAccessSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** Requests without the Cloudflare header are allowed (direct over Tailscale), still signed in. */
  allowDirect: boolean;
}

export interface AccessSettings {
  mode: 'local' | 'entra';
  env: Env;
  access: AccessConfig;
  /** The app's own origin (from NEXTAUTH_URL) in Entra mode; local mode uses the request's loopback host. */
  origin?: string;
  cloudflare?: CloudflareAccessSettings;
}

let cached: AccessSettings | undefined;

export function accessSettings(): AccessSettings {
  if (!cached) {
    const env = loadEnv();
    const mode = checkAccessEnv(env);
    const config = loadConfig({ file: env.RECONCILE_CONFIG, env });
    cached = {
      mode,
      env,
      access: config.access,
      origin: env.NEXTAUTH_URL ? new URL(env.NEXTAUTH_URL).origin : undefined,
      cloudflare: cloudflareSettings(env),
    };
  }
  return cached;
}

/** `myteam`, `myteam.cloudflareaccess.com` or `https://myteam.cloudflareaccess.com` all name the same team. */
export function cloudflareSettings(env: Env): CloudflareAccessSettings | undefined {
  if (!env.CF_ACCESS_TEAM_DOMAIN || !env.CF_ACCESS_AUD) return undefined;
  const host = env.CF_ACCESS_TEAM_DOMAIN.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const issuer = `https://${host.includes('.') ? host : `${host}.cloudflareaccess.com`}`;
  return {
    issuer,
    audience: env.CF_ACCESS_AUD,
    jwksUrl: env.CF_ACCESS_JWKS_URL ?? `${issuer}/cdn-cgi/access/certs`,
    allowDirect: env.RECONCILE_ALLOW_DIRECT,
  };
}
