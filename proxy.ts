/**
 * Runs before every page, route handler and asset (Next 16's request interceptor). In order:
 * local mode answers only requests made on this machine (loopback Host, no proxy's headers); state-changing requests must come from our own origin;
 * behind Cloudflare Access the request must carry a valid Access JWT; everything except sign-in
 * and static assets needs a session whose e-mail matches the Access token and that maps to a role.
 * Every response gets the security headers. Route handlers check their own role again (route()).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { getToken } from 'next-auth/jwt';
import { checkCloudflareAccess, cloudflareHeader } from './lib/auth/cloudflare.ts';
import { sessionUser } from './lib/auth/options.ts';
import { apiContentSecurityPolicy, contentSecurityPolicy, csrfViolation, localModeRefusal, securityHeaders } from './lib/auth/request-guard.ts';
import { accessSettings, type AccessSettings } from './lib/auth/settings.ts';

/** Reachable without a session (Cloudflare Access still applies): sign-in itself and static files. */
const openPaths = [/^\/api\/auth\//, /^\/signin\/?$/, /^\/access-denied\/?$/, /^\/_next\/static\//, /^\/favicon\.ico$/];

/**
 * Everything but /api/uploads/: Next.js reads the whole body of a request this interceptor sees into
 * memory before the route runs (and cuts it at 10 MB), so uploads stream to their route directly
 * and run the same checks there (lib/api/upload-gate.ts).
 */
export const config = { matcher: ['/((?!api/uploads/).*)'] };

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const settings = accessSettings();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const csp = isApi(request.nextUrl.pathname)
    ? apiContentSecurityPolicy
    : contentSecurityPolicy({ nonce, development: settings.env.NODE_ENV === 'development', formTargets: identityProviderOrigins(settings) });
  const response = (await refusal(request, settings)) ?? pass(request, csp, nonce);
  for (const [name, value] of Object.entries(securityHeaders(csp, settings.origin?.startsWith('https:') ?? false))) {
    response.headers.set(name, value);
  }
  return response;
}

/**
 * Why a request may not go on (a response to send instead), or undefined. Also run by the upload
 * routes under /api/uploads/, which this interceptor does not see (see `config`).
 */
export async function refusal(request: NextRequest, settings: AccessSettings): Promise<NextResponse | undefined> {
  const { pathname } = request.nextUrl;
  const host = request.headers.get('host');
  if (settings.mode === 'local') {
    const refused = localModeRefusal(request.headers);
    if (refused) return deny(request, 403, 'forbidden', refused);
    const csrf = csrfViolation(request.method, request.headers, `http://${host}`);
    return csrf ? deny(request, 403, 'forbidden', csrf) : undefined;
  }

  const csrf = csrfViolation(request.method, request.headers, settings.origin!);
  if (csrf) return deny(request, 403, 'forbidden', csrf);

  let cloudflareEmail: string | undefined;
  if (settings.cloudflare) {
    const check = await checkCloudflareAccess(request.headers.get(cloudflareHeader), settings.cloudflare);
    if (!check.ok) return deny(request, 403, 'forbidden', check.reason);
    cloudflareEmail = check.email;
  }
  if (openPaths.some((pattern) => pattern.test(pathname))) return undefined;

  const token = await getToken({
    req: request,
    secret: settings.env.NEXTAUTH_SECRET,
    secureCookie: settings.origin!.startsWith('https:'),
  });
  // A session ends an hour after sign-in (lib/auth/options.ts says why): then it is no session.
  const user = token ? sessionUser(token, settings.access) : null;
  if (!user) {
    if (isApi(pathname)) return deny(request, 401, 'unauthorized', token ? 'the session has ended; sign in again' : 'sign in first');
    const signIn = new URL('/signin', settings.origin);
    signIn.searchParams.set('callbackUrl', `${pathname}${request.nextUrl.search}`);
    return NextResponse.redirect(signIn);
  }
  if (cloudflareEmail !== undefined && cloudflareEmail !== user.email) {
    return deny(request, 403, 'forbidden', 'the Cloudflare Access identity does not match the signed-in user; sign out and sign in again');
  }
  if (user.roles.length === 0) {
    if (isApi(pathname)) return deny(request, 403, 'forbidden', 'no Reconcile role is assigned to this account');
    return NextResponse.redirect(new URL('/access-denied', settings.origin));
  }
  return undefined;
}

function pass(request: NextRequest, csp: string, nonce: string): NextResponse {
  // Next.js reads the nonce from the request's CSP header and puts it on its own scripts.
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', csp);
  return NextResponse.next({ request: { headers } });
}

function deny(request: NextRequest, status: 401 | 403, code: 'unauthorized' | 'forbidden', message: string): NextResponse {
  if (isApi(request.nextUrl.pathname)) return NextResponse.json({ error: { code, message } }, { status, headers: { 'cache-control': 'no-store' } });
  return new NextResponse(`${status === 401 ? 'Unauthorized' : 'Forbidden'}: ${message}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function isApi(pathname: string): boolean {
  return pathname.startsWith('/api/');
}

/** Sign-out and provider redirects leave through forms; allow just the identity provider. */
function identityProviderOrigins(settings: AccessSettings): string[] {
  if (settings.mode === 'local') return [];
  return [settings.env.ENTRA_ISSUER ? new URL(settings.env.ENTRA_ISSUER).origin : 'https://login.microsoftonline.com'];
}
