// Local mode (no identity provider configured): visibly marked, answers only on loopback host
// names, and still refuses cross-origin state changes.
import http from 'node:http';
import { expect, test } from './access/fixtures.ts';

function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { host } }, (response) => {
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
