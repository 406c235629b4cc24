/**
 * next-auth options for Microsoft Entra ID: authorization code flow with PKCE, state and nonce
 * checks, sessions as encrypted JWT cookies that carry the user's id, e-mail and identity-provider
 * roles/groups. Reconcile roles are computed from those claims with the current config on every
 * request, so a config change takes effect without signing in again.
 */
import type { AuthOptions, Session } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import AzureADProvider from 'next-auth/providers/azure-ad';
import type { Role } from './roles.ts';
import { claimList, mapRoles } from './role-mapping.ts';
import { accessSettings } from './settings.ts';

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
    session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
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
          // oid is the user's id across the tenant; sub differs per application.
          id: claims.oid ?? claims.sub,
          name: claims.name ?? claims.preferred_username ?? claims.email ?? claims.sub,
          email: (claims.email ?? claims.preferred_username ?? '').toLowerCase(),
        }),
      }),
    ],
    callbacks: {
      signIn: ({ user }) => Boolean(user.email),
      jwt: ({ token, profile }) => {
        if (profile) {
          const claims = profile as unknown as EntraClaims;
          token.sub = claims.oid ?? claims.sub;
          token.appRoles = claimList(claims.roles);
          token.groups = claimList(claims.groups);
        }
        return token;
      },
      session: ({ session, token }): Session => ({
        expires: session.expires,
        user: sessionUser(token, access),
      }),
    },
    // next-auth's default logger prints whole error objects, which can include tokens.
    logger: {
      error: (code, metadata) => console.error(`[auth] ${code}: ${metadata instanceof Error ? metadata.message : ((metadata as { error?: Error })?.error?.message ?? '')}`),
      warn: (code) => console.warn(`[auth] ${code}`),
      debug: () => {},
    },
  };
  return cached;
}

export function sessionUser(token: JWT, access = accessSettings().access): Session['user'] {
  const email = (token.email ?? '').toLowerCase();
  return {
    id: token.sub ?? '',
    email,
    name: token.name ?? email,
    roles: mapRoles({ email, appRoles: token.appRoles ?? [], groups: token.groups ?? [] }, access),
  };
}
