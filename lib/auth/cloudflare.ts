/**
 * Cloudflare Access puts a signed JWT on every request it lets through
 * (`Cf-Access-Jwt-Assertion`). We verify signature (team key set), issuer, audience and expiry
 * ourselves, so a request that bypassed Cloudflare cannot pretend it did.
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { CloudflareAccessSettings } from './settings.ts';

export const cloudflareHeader = 'cf-access-jwt-assertion';

export type CloudflareCheck =
  | { ok: true; email: string | undefined; direct: boolean }
  | { ok: false; reason: string };

const keySets = new Map<string, JWTVerifyGetKey>();

function keySet(url: string): JWTVerifyGetKey {
  let keys = keySets.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    keySets.set(url, keys);
  }
  return keys;
}

/** Fails closed: a missing, malformed, expired or foreign token is refused, never skipped. */
export async function checkCloudflareAccess(
  token: string | null,
  settings: CloudflareAccessSettings,
): Promise<CloudflareCheck> {
  if (!token) {
    return settings.allowDirect
      ? { ok: true, email: undefined, direct: true }
      : { ok: false, reason: 'missing Cloudflare Access token' };
  }
  try {
    const { payload } = await jwtVerify(token, keySet(settings.jwksUrl), {
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'iat'],
      clockTolerance: 30,
    });
    if (typeof payload.email !== 'string' || payload.email === '') {
      return { ok: false, reason: 'Cloudflare Access token carries no e-mail (service tokens are not accepted)' };
    }
    return { ok: true, email: payload.email.toLowerCase(), direct: false };
  } catch (error) {
    return { ok: false, reason: `invalid Cloudflare Access token (${(error as { code?: string }).code ?? 'unverifiable'})` };
  }
}
