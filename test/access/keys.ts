/**
 * A stand-in for a Cloudflare Access team: an RS256 key pair served as a JWKS over HTTP, and
 * Access-style JWTs signed with it (or deliberately wrong). Used by Vitest and Playwright tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export interface AccessTeam {
  issuer: string;
  audience: string;
  jwksUrl: string;
  sign(claims: AccessTokenClaims): Promise<string>;
  close(): Promise<void>;
}

export interface AccessTokenClaims {
  email?: string;
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Sign with a key that is not in the team's key set. */
  foreignKey?: boolean;
}

export const teamDomain = 'reconcile-test.cloudflareaccess.com';
export const teamAudience = 'a1b2c3d4e5f6reconcileaudience';

export async function startAccessTeam(port = 0): Promise<AccessTeam> {
  const key = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256');
  const publicJwk: JWK = { ...(await exportJWK(key.publicKey)), kid: 'team-key-1', alg: 'RS256', use: 'sig' };
  const server = http.createServer((request, response) => {
    if (request.url === '/cdn-cgi/access/certs') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [publicJwk] }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `https://${teamDomain}`;
  return {
    issuer,
    audience: teamAudience,
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cdn-cgi/access/certs`,
    sign: (claims) => signAccessToken(claims.foreignKey ? foreign.privateKey : key.privateKey, issuer, claims),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function signAccessToken(privateKey: CryptoKey, issuer: string, claims: AccessTokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = claims.expiresIn ?? 600;
  return new SignJWT({ ...(claims.email === undefined ? {} : { email: claims.email }), type: 'app', identity_nonce: 'test' })
    .setProtectedHeader({ alg: 'RS256', kid: 'team-key-1' })
    .setIssuer(claims.issuer ?? issuer)
    .setAudience(claims.audience ?? teamAudience)
    .setSubject('00000000-0000-0000-0000-000000000001')
    .setIssuedAt(now - 60 + Math.min(0, expiresIn))
    .setNotBefore(now - 60 + Math.min(0, expiresIn))
    .setExpirationTime(now + expiresIn)
    .sign(privateKey);
}

/** Flips one character of the payload: the signature no longer matches. */
export function tamper(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  claims.email = 'admin@example.test';
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}
