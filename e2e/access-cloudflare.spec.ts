// Cloudflare Access in front of the app: every request must carry a valid Access JWT (signed by
// the team key set, right issuer and audience, not expired) whose e-mail is the signed-in user's.
import { expect, signIn, test } from './access/fixtures.ts';
import { users } from './access/stack.ts';
import { tamper, type AccessTokenClaims } from '../test/access/keys.ts';

const email = users.admin.email;

test.describe('Cloudflare Access', () => {
  test('a valid token for the signed-in user is let through to pages and the API', async ({ access }) => {
    const headers = { ...(await access.accessHeader(email)), cookie: access.sessions.admin };
    expect((await fetch(`${access.app.url}/api/sources`, { headers })).status).toBe(200);
    expect((await fetch(`${access.app.url}/`, { headers, redirect: 'manual' })).status).toBe(200);
  });

  const bad: [string, AccessTokenClaims][] = [
    ['expired', { email, expiresIn: -120 }],
    ['for another application (audience)', { email, audience: 'another-application-aud' }],
    ['from another team (issuer)', { email, issuer: 'https://evil-team.cloudflareaccess.com' }],
    ['signed by a key outside the team key set', { email, foreignKey: true }],
    ['for another user than the session (e-mail mismatch)', { email: users.viewer.email }],
  ];
  for (const [name, claims] of bad) {
    test(`a token ${name} is refused`, async ({ access }) => {
      const headers = { 'cf-access-jwt-assertion': await access.team.sign(claims), cookie: access.sessions.admin };
      const api = await fetch(`${access.app.url}/api/sources`, { headers });
      expect(api.status).toBe(403);
      expect((await api.json()).error.code).toBe('forbidden');
      const page = await fetch(`${access.app.url}/`, { headers, redirect: 'manual' });
      expect(page.status).toBe(403);
      expect(await page.text()).not.toContain('Sources');
    });
  }

  test('a tampered token, a malformed one and a missing one are refused, on every kind of path', async ({ access }) => {
    const tampered = tamper(await access.team.sign({ email: users.viewer.email }));
    for (const token of [tampered, 'not-a-jwt', undefined]) {
      const headers: Record<string, string> = { cookie: access.sessions.admin, ...(token ? { 'cf-access-jwt-assertion': token } : {}) };
      for (const url of ['/api/sources', '/', '/signin', '/api/auth/providers', '/favicon.ico']) {
        const response = await fetch(`${access.app.url}${url}`, { headers, redirect: 'manual' });
        expect(response.status, `${url} with ${token ? token.slice(0, 12) : 'no token'}`).toBe(403);
      }
    }
  });

  test('direct access without the header works only where allowed, still needs sign-in, and a bad header is still refused', async ({ access }) => {
    const direct = access.directApp.url;
    expect((await fetch(`${direct}/api/sources`, { headers: { cookie: access.sessions.viewer } })).status).toBe(200);
    expect((await fetch(`${direct}/api/sources`)).status).toBe(401);
    const page = await fetch(`${direct}/`, { redirect: 'manual' });
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toContain('/signin');
    const expired = await access.team.sign({ email: users.viewer.email, expiresIn: -120 });
    expect((await fetch(`${direct}/api/sources`, { headers: { cookie: access.sessions.viewer, 'cf-access-jwt-assertion': expired } })).status).toBe(403);
    expect((await fetch(`${access.app.url}/api/sources`, { headers: { cookie: access.sessions.viewer } })).status).toBe(403);
  });

  test('direct access signs in through the same code flow, with settings from the 0600 env file', async ({ browser, access }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, access.directApp, access.idp, 'reviewer', '/decisions');
    await expect(page).toHaveURL(`${access.directApp.url}/decisions`);
    const session = await (await page.request.get(`${access.directApp.url}/api/auth/session`)).json();
    expect(session.user).toMatchObject({ email: users.reviewer.email, roles: ['reviewer'] });
    await context.close();
  });

  test('state-changing requests need our own Origin', async ({ access }) => {
    const headers = { ...(await access.accessHeader(users.reviewer.email)), cookie: access.sessions.reviewer, 'content-type': 'application/json' };
    const post = (extra: Record<string, string>) =>
      fetch(`${access.app.url}/api/decisions`, { method: 'POST', headers: { ...headers, ...extra }, body: '{}' });
    const missing = await post({});
    expect(missing.status).toBe(403);
    expect((await missing.json()).error.message).toMatch(/missing Origin/);
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ origin: access.app.url, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // Our own origin reaches the handler, which then validates the body.
    expect((await post({ origin: access.app.url })).status).toBe(400);
  });

  test('the upload route, which proxy.ts does not see (its body streams), refuses the same requests', async ({ access }) => {
    const upload = (headers: Record<string, string>) =>
      fetch(`${access.app.url}/api/uploads/manifests/no-such-source`, { method: 'POST', headers: { 'content-type': 'application/gzip', ...headers }, body: 'x', redirect: 'manual' });
    const valid = { ...(await access.accessHeader(users.operator.email)), cookie: access.sessions.operator, origin: access.app.url };
    expect((await upload({ ...valid, 'cf-access-jwt-assertion': 'not-a-jwt' })).status).toBe(403);
    expect((await upload({ cookie: access.sessions.operator, origin: access.app.url })).status).toBe(403);
    expect((await upload({ ...valid, origin: 'https://evil.example' })).status).toBe(403);
    expect((await upload({ ...valid, cookie: '' })).status).toBe(401);
    const response = await upload(valid);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
  });
});
