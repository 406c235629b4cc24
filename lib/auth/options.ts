/**
 * next-auth options for Microsoft Entra ID: authorization code flow with PKCE, state and nonce
 * checks, sessions as encrypted JWT cookies that carry the user's object id (`oid`, what roles are
 * granted by), e-mail (for display and the Cloudflare identity check) and identity-provider
 * roles/groups. Reconcile roles are computed from those claims with the current config on every
 * request, so a config change takes effect without signing in again.
 *
 * Entra puts app roles and groups into the ID token at sign-in only, so a role removed in Entra
 * lasts as long as the session. Refreshing them would mean keeping a refresh token in the cookie
 * (or Graph permissions to read memberships); instead a session ends one hour after sign-in,
 * however active it is, and signing in again is one redirect through Microsoft's own session.
 */
import type { AuthOptions, Session } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import AzureADProvider from 'next-auth/providers/azure-ad';
import type { Role } from './roles.ts';
import { claimList, mapRoles } from './role-mapping.ts';
import { accessSettings } from './settings.ts';
import { webLogger } from '../log.ts';

export const providerId = 'azure-ad';

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string; name: string; roles: Role[] };
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    appRoles?: string[];
    groups?: string[];
    /** Seconds since the epoch when the user signed in at Entra (sessions end sessionMaxAgeSeconds after it). */
    signedInAt?: number;
  }
}

/** The ID-token claims we read (Entra v2.0). */
interface EntraClaims {
  sub: string;
  oid?: string;
  email?: string;
  preferred_username?: string;
  name?: string;
  roles?: unknown;
  groups?: unknown;
}

/** How long a session lasts from sign-in, however active: roles from Entra are only read at sign-in. */
export const sessionMaxAgeSeconds = 60 * 60;

let cached: AuthOptions | undefined;

export function authOptions(): AuthOptions {
  if (cached) return cached;
  const { env, access } = accessSettings();
  if (!env.ENTRA_TENANT_ID || !env.ENTRA_CLIENT_ID || !env.ENTRA_CLIENT_SECRET) {
    throw new Error('authOptions() needs Entra ID settings; local mode has no sign-in');
  }
  const issuer = env.ENTRA_ISSUER?.replace(/\/+$/, '');
  cached = {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: sessionMaxAgeSeconds },
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      AzureADProvider({
        clientId: env.ENTRA_CLIENT_ID,
        clientSecret: env.ENTRA_CLIENT_SECRET,
        tenantId: env.ENTRA_TENANT_ID,
        checks: ['pkce', 'state', 'nonce'],
        ...(issuer ? { wellKnown: `${issuer}/.well-known/openid-configuration` } : {}),
        // The ID token has everything we need: skip the provider's Graph photo request, which
        // would send the access token to another service for nothing.
        profile: (claims: EntraClaims) => ({
          // oid is the user's immutable id in the tenant; sub differs per application.
          id: claims.oid ?? '',
          name: claims.name ?? claims.preferred_username ?? claims.email ?? claims.sub,
          email: (claims.email ?? claims.preferred_username ?? '').toLowerCase(),
        }),
      }),
    ],
    callbacks: {
      // Roles are granted by object id: an ID token without one (no `profile` scope) cannot sign in.
      signIn: ({ user }) => Boolean(user.email) && Boolean(user.id),
      jwt: ({ token, profile }) => {
        if (profile) {
          const claims = profile as unknown as EntraClaims;
          token.sub = claims.oid;
          token.appRoles = claimList(claims.roles);
          token.groups = claimList(claims.groups);
          token.signedInAt = Math.floor(Date.now() / 1000);
        }
        return token;
      },
      session: ({ session, token }): Session => ({
        expires: session.expires,
        user: sessionUser(token, access) ?? { id: '', email: '', name: '', roles: [] },
      }),
    },
    // next-auth's default logger prints whole error objects, which can include tokens: only the
    // code and the message are kept.
    logger: {
      error: (code, metadata) =>
        webLogger().error({ code, message: metadata instanceof Error ? metadata.message : ((metadata as { error?: Error })?.error?.message ?? '') }, 'auth error'),
      warn: (code) => webLogger().warn({ code }, 'auth warning'),
      debug: () => {},
    },
  };
  return cached;
}

/** The session's user with roles from the current config, or null once the session is over (or was never complete). */
export function sessionUser(token: JWT, access = accessSettings().access, now = Date.now()): Session['user'] | null {
  const oid = token.sub ?? '';
  const signedInAt = token.signedInAt ?? 0;
  if (oid === '' || now / 1000 - signedInAt > sessionMaxAgeSeconds) return null;
  const email = (token.email ?? '').toLowerCase();
  return {
    id: oid,
    email,
    name: token.name ?? email,
    roles: mapRoles({ oid, appRoles: token.appRoles ?? [], groups: token.groups ?? [] }, access),
  };
}
