// Entra ID sign-in through a real authorization code flow (PKCE) against a local OpenID Connect
// provider, with a user of each role, behind a locally signed Cloudflare Access.
import { encode } from 'next-auth/jwt';
import { expect, signIn, test } from './access/fixtures.ts';
import { impostor, testSecrets, users, type Persona } from './access/stack.ts';

test.describe('sign-in', () => {
  test('a page without a session redirects to sign-in, an API call gets 401 JSON', async ({ access }) => {
    const header = await access.accessHeader(users.viewer.email);
    const page = await fetch(`${access.app.url}/`, { headers: header, redirect: 'manual' });
    expect(page.status).toBe(307);
    expect(new URL(page.headers.get('location')!, access.app.url).toString()).toBe(`${access.app.url}/signin?callbackUrl=%2F`);
    const api = await fetch(`${access.app.url}/api/sources`, { headers: header });
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: { code: 'unauthorized', message: 'sign in first' } });
  });

  for (const persona of ['viewer', 'reviewer', 'operator', 'admin'] as const satisfies Persona[]) {
    test(`${persona} signs in with PKCE and gets exactly the ${persona} role`, async ({ browser, access }) => {
      const context = await browser.newContext({ extraHTTPHeaders: await access.accessHeader(users[persona].email) });
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text());
      });
      const before = access.idp.authorizeRequests.length;
      await signIn(page, access.app, access.idp, persona, '/');
      await expect(page).toHaveURL(`${access.app.url}/`);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await expect(page.getByTestId('local-mode-banner')).toHaveCount(0);
      // The header says who is signed in, with which role, and offers sign-out.
      await expect(page.getByTestId('signed-in-as')).toHaveText(`${users[persona].email} · ${persona}`);
      await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toBeVisible();

      const authorize = access.idp.authorizeRequests.slice(before);
      expect(authorize).toHaveLength(1);
      expect(authorize[0]).toMatchObject({
        client_id: 'reconcile-e2e-client',
        response_type: 'code',
        code_challenge_method: 'S256',
        code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        state: expect.any(String),
        nonce: expect.any(String),
      });

      const session = await (await page.request.get(`${access.app.url}/api/auth/session`)).json();
      expect(session.user).toEqual({ id: users[persona].oid, email: users[persona].email, name: users[persona].name, roles: [persona] });
      // The session carries no identity-provider tokens.
      expect(JSON.stringify(session)).not.toMatch(/eyJ|access_token|id_token/);
      const cookies = await context.cookies(access.app.url);
      const sessionCookie = cookies.find((cookie) => cookie.name === 'next-auth.session-token');
      expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      expect(violations).toEqual([]);
      await context.close();
    });
  }

  test('a signed-in account without a Reconcile role sees access denied, and the API says 403', async ({ browser, access }) => {
    const context = await browser.newContext({ extraHTTPHeaders: await access.accessHeader(users.norole.email) });
    const page = await context.newPage();
    await signIn(page, access.app, access.idp, 'norole', '/');
    await expect(page).toHaveURL(`${access.app.url}/access-denied`);
    await expect(page.getByTestId('denied-email')).toHaveText(users.norole.email);
    await expect(page.getByText('no Reconcile role is assigned')).toBeVisible();
    const api = await page.request.get(`${access.app.url}/api/sources`);
    expect(api.status()).toBe(403);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);
    expect((await page.request.get(`${access.app.url}/api/sources`)).status()).toBe(401);
    await context.close();
  });

  test('a forged state or a replayed callback does not sign anyone in', async ({ browser, access }) => {
    const header = await access.accessHeader(users.admin.email);
    const context = await browser.newContext({ extraHTTPHeaders: header });
    const page = await context.newPage();
    access.idp.signInAs(users.admin);
    await page.goto(`${access.app.url}/signin`);
    // Let the identity provider answer, but keep its redirect back to the app for ourselves.
    let callback: string | undefined;
    await page.route(`${access.idp.issuer}/authorize**`, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      callback = response.headers().location;
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'held' });
    });
    await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
    await expect.poll(() => callback).toContain('/api/auth/callback/azure-ad?code=');
    // The held answer must have landed first, or it interrupts the navigation below.
    await page.waitForURL(`${access.idp.issuer}/authorize**`);
    const forged = new URL(callback!);
    forged.searchParams.set('state', 'forged-state');
    await page.goto(forged.toString());
    await expect(page).toHaveURL(/\/signin\?.*\berror=OAuthCallback/);
    await expect(page.getByText('Sign-in with Microsoft did not complete')).toBeVisible();
    expect((await page.request.get(`${access.app.url}/api/sources`)).status()).toBe(401);

    // The same callback replayed from another browser (no state or PKCE verifier cookies) fails too.
    const other = await browser.newContext({ extraHTTPHeaders: header });
    const otherPage = await other.newPage();
    await otherPage.goto(callback!);
    await expect(otherPage).toHaveURL(/\/signin\?.*\berror=OAuthCallback/);
    expect((await otherPage.request.get(`${access.app.url}/api/sources`)).status()).toBe(401);
    await Promise.all([context.close(), other.close()]);
  });

  test('another account carrying the admin\'s e-mail address gets no role: grants go by object id', async ({ browser, access }) => {
    const context = await browser.newContext({ extraHTTPHeaders: await access.accessHeader(impostor.email) });
    const page = await context.newPage();
    await signIn(page, access.app, access.idp, impostor, '/');
    await expect(page).toHaveURL(`${access.app.url}/access-denied`);
    expect((await page.request.get(`${access.app.url}/api/sources`)).status()).toBe(403);
    await context.close();
  });

  test('a signed-in user is sent only to paths on this site after sign-in', async ({ access }) => {
    const headers = { ...(await access.accessHeader(users.viewer.email)), cookie: access.sessions.viewer };
    for (const callback of ['/.//evil.example', '//evil.example', '/\\evil.example', 'https://evil.example/']) {
      const response = await fetch(`${access.app.url}/signin?callbackUrl=${encodeURIComponent(callback)}`, { headers, redirect: 'manual' });
      expect(response.status, callback).toBe(307);
      expect(response.headers.get('location'), callback).toBe('/');
    }
    const home = await fetch(`${access.app.url}/signin?callbackUrl=${encodeURIComponent('/audit?x=1')}`, { headers, redirect: 'manual' });
    expect(home.headers.get('location')).toBe('/audit?x=1');
  });

  test('a session ends an hour after sign-in, however genuine its seal', async ({ access }) => {
    const headers = await access.accessHeader(users.operator.email);
    const claims = { sub: users.operator.oid, email: users.operator.email, name: users.operator.name, appRoles: ['Reconcile.Operator'], groups: [] };
    const status = async (signedInAt: number) => {
      const cookie = `next-auth.session-token=${await encode({ token: { ...claims, signedInAt }, secret: testSecrets.NEXTAUTH_SECRET })}`;
      const response = await fetch(`${access.app.url}/api/sources`, { headers: { ...headers, cookie } });
      return `${response.status} ${response.status === 401 ? (await response.json()).error.message : ''}`.trim();
    };
    const now = Math.floor(Date.now() / 1000);
    expect(await status(now - 600)).toBe('200');
    expect(await status(now - 2 * 3600)).toBe('401 the session has ended; sign in again');
  });

  test('a session cookie not made with our secret is no session', async ({ access }) => {
    const claims = { sub: users.admin.oid, email: users.admin.email, name: users.admin.name, appRoles: ['Reconcile.Admin'], groups: [], signedInAt: Math.floor(Date.now() / 1000) };
    const forged = await encode({ token: claims, secret: 'an-attacker-chosen-secret-of-32-characters!' });
    const genuine = await encode({ token: claims, secret: testSecrets.NEXTAUTH_SECRET });
    const headers = await access.accessHeader(users.admin.email);
    const status = async (cookie: string) => (await fetch(`${access.app.url}/api/sources`, { headers: { ...headers, cookie } })).status;
    expect(await status(`next-auth.session-token=${forged}`)).toBe(401);
    expect(await status(`next-auth.session-token=${access.sessions.admin.split('next-auth.session-token=')[1]!.split(';')[0]!.slice(0, -8)}AAAAAAAA`)).toBe(401);
    // The same claims sealed with the server's secret are accepted: the refusals above are about the seal.
    expect(await status(`next-auth.session-token=${genuine}`)).toBe(200);
  });

  test('pages carry the security headers', async ({ access }) => {
    const response = await fetch(`${access.app.url}/signin`, { headers: await access.accessHeader(users.viewer.email) });
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    const html = await response.text();
    // Every script Next.js renders carries this response's nonce.
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  });
});

