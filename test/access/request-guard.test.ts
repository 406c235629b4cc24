import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, csrfViolation, isLoopbackHost, securityHeaders } from '../../lib/auth/request-guard.ts';

describe('loopback hosts', () => {
  it('accepts loopback names with or without a port', () => {
    for (const host of ['127.0.0.1:3000', '127.0.0.1', 'localhost:3000', '[::1]:3000', '[::1]', '127.1.2.3:80']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });
  it('refuses everything else, including look-alikes used for DNS rebinding', () => {
    for (const host of [null, '', '0.0.0.0:3000', '192.168.1.5:3000', 'motoko:3000', '127.0.0.1.evil.example', 'localhost.evil.example:3000', '[::2]:3000', '127.0.0.256']) {
      expect(isLoopbackHost(host), String(host)).toBe(false);
    }
  });
});

describe('CSRF', () => {
  const origin = 'https://reconcile.example.test';
  const headers = (values: Record<string, string>) => new Headers(values);
  it('lets safe methods through without an Origin', () => {
    expect(csrfViolation('GET', headers({}), origin)).toBeUndefined();
    expect(csrfViolation('HEAD', headers({ origin: 'https://evil.example' }), origin)).toBeUndefined();
  });
  it('requires our own Origin on every state-changing method', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(csrfViolation(method, headers({}), origin)).toMatch(/missing Origin/);
      expect(csrfViolation(method, headers({ origin: 'null' }), origin)).toMatch(/missing Origin/);
      expect(csrfViolation(method, headers({ origin: 'https://evil.example' }), origin)).toMatch(/cross-origin/);
      expect(csrfViolation(method, headers({ origin: `${origin}.evil.example` }), origin)).toMatch(/cross-origin/);
      expect(csrfViolation(method, headers({ origin, 'sec-fetch-site': 'same-site' }), origin)).toMatch(/cross-site/);
      expect(csrfViolation(method, headers({ origin, 'sec-fetch-site': 'same-origin' }), origin)).toBeUndefined();
      expect(csrfViolation(method, headers({ origin }), origin)).toBeUndefined();
    }
  });
});

describe('security headers', () => {
  it('forbid framing, sniffing and scripts without the nonce', () => {
    const csp = contentSecurityPolicy({ nonce: 'abc123', development: false, formTargets: ['https://login.microsoftonline.com'] });
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("form-action 'self' https://login.microsoftonline.com");
    expect(csp).toContain("object-src 'none'");
    const headers = securityHeaders(csp, true);
    expect(headers).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin' });
    expect(headers['Strict-Transport-Security']).toBeDefined();
    expect(securityHeaders(csp, false)['Strict-Transport-Security']).toBeUndefined();
  });
});
