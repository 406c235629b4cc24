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

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (what a dual-stack socket reports). */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/^::ffff:/, '');
  return bare === '::1' || /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(bare);
}

/** Headers only a forwarder adds: Cloudflare's (cloudflared) and Tailscale's (`tailscale serve`), and the standard ones. */
const forwarderHeader = /^(forwarded|via|x-real-ip|cdn-loop|cf-.*|tailscale-.*)$/;

/**
 * Local mode is for the person at this machine, so a request a proxy forwarded is refused, whatever
 * its Host says: cloudflared and `tailscale serve` run on the same host and pass the client's Host
 * through. Next.js itself sets X-Forwarded-For (to the socket's address) and X-Forwarded-Host (to
 * Host) only when the request has none, so a non-loopback or differing value came from outside.
 * Returns the reason, or undefined when the request was made on this machine.
 */
export function forwardedRequest(headers: Headers): string | undefined {
  for (const name of headers.keys()) {
    if (forwarderHeader.test(name)) return `the request came through a proxy (${name} header)`;
  }
  const forwardedFor = headers.get('x-forwarded-for');
  if (forwardedFor !== null && !forwardedFor.split(',').every(isLoopbackAddress)) return 'the request was forwarded for another address (X-Forwarded-For)';
  const forwardedHost = headers.get('x-forwarded-host');
  if (forwardedHost !== null && forwardedHost !== headers.get('host')) return 'the request was forwarded for another host (X-Forwarded-Host)';
  return undefined;
}

/** Why a request may not use local mode (forwarded, or for a host name other machines could resolve), or undefined. */
export function localModeRefusal(headers: Headers): string | undefined {
  if (!isLoopbackHost(headers.get('host'))) return 'local mode answers only on a loopback address';
  const forwarded = forwardedRequest(headers);
  return forwarded ? `local mode answers only requests made on this machine; ${forwarded}` : undefined;
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
