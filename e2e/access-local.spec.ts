// Local mode (RECONCILE_AUTH=local): visibly marked, answers only requests made on this machine —
// a loopback Host and no proxy's headers, since cloudflared and tailscale serve on the same host
// pass the client's Host through — and still refuses cross-origin state changes and huge bodies.
import http from 'node:http';
import { expect, test } from './access/fixtures.ts';

function getWithHost(url: string, host: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { host, ...headers } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

test.describe('local mode', () => {
  test('is marked on every page and needs no sign-in', async ({ page, localApp }) => {
    await page.goto(`${localApp.url}/`);
    await expect(page.getByTestId('local-mode-banner')).toHaveText(/Local mode/);
    await page.goto(`${localApp.url}/signin`);
    await expect(page).toHaveURL(`${localApp.url}/`);
    expect((await page.request.get(`${localApp.url}/api/auth/providers`)).status()).toBe(404);
  });

  test('answers loopback host names only (no DNS rebinding)', async ({ localApp }) => {
    const port = new URL(localApp.url).port;
    expect(await getWithHost(`${localApp.url}/api/sources`, `127.0.0.1:${port}`)).toBe(200);
    expect(await getWithHost(`${localApp.url}/api/sources`, `localhost:${port}`)).toBe(200);
    for (const host of [`evil.example:${port}`, `192.168.1.20:${port}`, `motoko:${port}`, `127.0.0.1.evil.example:${port}`]) {
      expect(await getWithHost(`${localApp.url}/api/sources`, host), host).toBe(403);
      expect(await getWithHost(`${localApp.url}/`, host), host).toBe(403);
    }
  });

  test('refuses a loopback Host that came through a proxy (a tailnet device spoofing Host: 127.0.0.1)', async ({ localApp }) => {
    const port = new URL(localApp.url).port;
    const host = `127.0.0.1:${port}`;
    const forwarded: Record<string, string>[] = [
      // What `tailscale serve` adds for a tailnet device, and what cloudflared adds.
      { 'x-forwarded-for': '100.101.102.103' },
      { 'x-forwarded-for': '127.0.0.1, 100.101.102.103' },
      { 'tailscale-user-login': 'someone@example.test' },
      { 'cf-connecting-ip': '203.0.113.9' },
      { 'cf-access-jwt-assertion': 'x.y.z' },
      { forwarded: 'for=203.0.113.9' },
      { via: '1.1 proxy' },
      { 'x-real-ip': '203.0.113.9' },
      { 'x-forwarded-host': 'reconcile.example.test' },
    ];
    for (const headers of forwarded) {
      for (const target of ['/api/sources', '/', `/api/files/preview?file=entry:${localApp.entries['docs/inside.txt']}`]) {
        expect(await getWithHost(`${localApp.url}${target}`, host, headers), `${target} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    // What Next.js itself would set for a request made here is fine.
    expect(await getWithHost(`${localApp.url}/api/sources`, host, { 'x-forwarded-for': '127.0.0.1', 'x-forwarded-host': host })).toBe(200);
  });

  test('asks for AI advice only by POST from its own pages', async ({ localApp }) => {
    expect((await fetch(`${localApp.url}/api/advice/no-such-finding`)).status).toBe(405);
    expect((await fetch(`${localApp.url}/api/advice/no-such-finding`, { method: 'POST' })).status).toBe(403);
    expect((await fetch(`${localApp.url}/api/advice/no-such-finding`, { method: 'POST', headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await fetch(`${localApp.url}/api/advice/no-such-finding`, { method: 'POST', headers: { origin: localApp.url } })).status).toBe(404);
  });

  test('refuses a request body over 1 MiB without reading it all', async ({ localApp }) => {
    const post = (body: string) => fetch(`${localApp.url}/api/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', origin: localApp.url }, body });
    const huge = await post(JSON.stringify({ findingId: 'x', verdict: 'approved', note: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('payload_too_large');
    expect((await post('{}')).status).toBe(400);
  });

  test('refuses state changes from another origin', async ({ localApp }) => {
    const post = (headers: Record<string, string>) =>
      fetch(`${localApp.url}/api/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await post({})).status).toBe(403);
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ origin: 'http://localhost.evil.example' })).status).toBe(403);
    expect((await post({ origin: localApp.url })).status).toBe(400);
  });

  test('sends the security headers', async ({ localApp }) => {
    const response = await fetch(`${localApp.url}/`);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    // API answers (JSON, previewed images, downloads) may not run or embed anything at all.
    const api = await fetch(`${localApp.url}/api/sources`);
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
