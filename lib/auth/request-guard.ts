/**
 * Checks proxy.ts applies to every request before it reaches a page or route handler, as pure
 * functions of the request's method and headers so they can be tested without a server.
 */

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Hosts that can only be reached from this machine; anything else in local mode is refused. */
export function isLoopbackHost(hostHeader: string | null): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.replace(/:\d+$/, '');
  return host === 'localhost' || host === '[::1]' || /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(host);
}

/**
 * Cross-site request forgery: a state-changing request must come from our own pages. Browsers
 * always send Origin on cross-origin and on fetch/form POSTs, so a missing or foreign Origin (or a
 * Sec-Fetch-Site that says cross-site) is refused. Returns the reason, or undefined when allowed.
 */
export function csrfViolation(method: string, headers: Headers, expectedOrigin: string): string | undefined {
  if (safeMethods.has(method.toUpperCase())) return undefined;
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return 'missing Origin header on a state-changing request';
  if (origin !== expectedOrigin) return `cross-origin request from ${origin}`;
  const site = headers.get('sec-fetch-site');
  if (site && site !== 'same-origin') return `cross-site request (Sec-Fetch-Site: ${site})`;
  return undefined;
}

/** A fresh nonce per response: scripts without it (injected ones) do not run. */
export function contentSecurityPolicy(options: { nonce: string; development: boolean; formTargets: readonly string[] }): string {
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    // React and Tailwind set style attributes; styles cannot run code.
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' blob: data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'${options.formTargets.map((target) => ` ${target}`).join('')}`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

/** API responses (JSON, images, downloads) never need to run or embed anything. */
export const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox";

export function securityHeaders(csp: string, https: boolean): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(https ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  };
}
