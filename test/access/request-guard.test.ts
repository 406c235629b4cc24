import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, csrfViolation, isLoopbackAddress, isLoopbackHost, localModeRefusal, securityHeaders } from '../../lib/auth/request-guard.ts';

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

describe('local mode: only requests made on this machine', () => {
  const local = (values: Record<string, string>) => localModeRefusal(new Headers({ host: '127.0.0.1:3000', ...values }));

  it('accepts a request on a loopback host, with the X-Forwarded-* headers Next.js sets itself', () => {
    expect(local({})).toBeUndefined();
    expect(local({ 'x-forwarded-for': '127.0.0.1', 'x-forwarded-host': '127.0.0.1:3000', 'x-forwarded-proto': 'http', 'x-forwarded-port': '3000' })).toBeUndefined();
    expect(local({ 'x-forwarded-for': '::ffff:127.0.0.1' })).toBeUndefined();
    expect(local({ 'x-forwarded-for': '::1' })).toBeUndefined();
  });

  it('refuses a loopback Host forwarded by cloudflared or tailscale serve (the Host is the client\'s to choose)', () => {
    // What `tailscale serve` adds for a tailnet device, and what cloudflared adds.
    expect(local({ 'x-forwarded-for': '100.101.102.103' })).toMatch(/X-Forwarded-For/);
    expect(local({ 'x-forwarded-for': '127.0.0.1, 100.101.102.103' })).toMatch(/X-Forwarded-For/);
    expect(local({ 'x-forwarded-for': '' })).toMatch(/X-Forwarded-For/);
    expect(local({ 'tailscale-user-login': 'someone@example.test' })).toMatch(/tailscale-user-login header/);
    expect(local({ 'cf-connecting-ip': '203.0.113.9' })).toMatch(/cf-connecting-ip header/);
    expect(local({ 'cf-access-jwt-assertion': 'x.y.z' })).toMatch(/cf-access-jwt-assertion header/);
    expect(local({ forwarded: 'for=203.0.113.9;host=127.0.0.1' })).toMatch(/forwarded header/);
    expect(local({ via: '1.1 proxy' })).toMatch(/via header/);
    expect(local({ 'x-real-ip': '203.0.113.9' })).toMatch(/x-real-ip header/);
    expect(local({ 'x-forwarded-host': 'reconcile.example.test' })).toMatch(/X-Forwarded-Host/);
  });

  it('refuses any Host other machines could resolve', () => {
    expect(localModeRefusal(new Headers({ host: 'motoko:3000' }))).toMatch(/loopback address/);
    expect(localModeRefusal(new Headers({}))).toMatch(/loopback address/);
  });

  it('knows loopback addresses in every spelling a socket reports', () => {
    for (const address of ['127.0.0.1', '127.9.8.7', '::1', '[::1]', '::ffff:127.0.0.1', ' 127.0.0.1 ']) expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ['', '0.0.0.0', '10.0.0.1', '100.64.0.1', '::ffff:10.0.0.1', '::2', 'localhost', '127.0.0.256']) expect(isLoopbackAddress(address), address).toBe(false);
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
