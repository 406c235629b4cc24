// Secrets and tokens stay on the server: not in the client bundle, not in any page or script the
// browser receives, not in the server's output or log files.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './access/fixtures.ts';
import { repoRoot, testSecrets, users } from './access/stack.ts';
import { pageRows } from '../test/access/matrix.ts';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

const secretValues = Object.values(testSecrets);

test.describe('secrets', () => {
  test('the built client bundle contains no secret', () => {
    const staticDir = path.join(repoRoot, process.env.RECONCILE_WEB_BUILD_DIR ?? '.next', 'static');
    const files = filesUnder(staticDir);
    expect(files.some((file) => file.endsWith('.js')), `no client bundle in ${staticDir}`).toBe(true);
    // The test secrets, and any real ones in this environment (a build made with them set).
    const candidates = [...secretValues, ...['NEXTAUTH_SECRET', 'ENTRA_CLIENT_SECRET', 'RECONCILE_AI_API_KEY'].map((name) => process.env[name]).filter((value): value is string => Boolean(value && value.length >= 8))];
    for (const file of files) {
      const text = fs.readFileSync(file, 'latin1');
      for (const value of candidates) expect(text.includes(value), `${path.relative(repoRoot, file)} contains a secret`).toBe(false);
      expect(text).not.toMatch(/ENTRA_CLIENT_SECRET|NEXTAUTH_SECRET/);
    }
  });

  test('no page or script the browser receives carries a secret or a token', async ({ access }) => {
    const accessToken = await access.team.sign({ email: users.admin.email });
    const headers = { 'cf-access-jwt-assertion': accessToken, cookie: access.sessions.admin };
    const sessionToken = /next-auth\.session-token=([^;]+)/.exec(access.sessions.admin)![1]!;
    const scripts = new Set<string>();
    const bodies: [string, string][] = [];
    for (const url of [...pageRows.map((row) => row.url), '/api/auth/session', '/api/auth/providers', '/api/auth/csrf']) {
      const response = await fetch(`${access.app.url}${url}`, { headers });
      const body = await response.text();
      bodies.push([url, body]);
      for (const match of body.matchAll(/\/_next\/static\/[^"'\s)]+\.js/g)) scripts.add(match[0]);
    }
    expect(scripts.size).toBeGreaterThan(0);
    for (const script of scripts) bodies.push([script, await (await fetch(`${access.app.url}${script}`, { headers })).text()]);
    for (const [url, body] of bodies) {
      for (const value of [...secretValues, sessionToken, accessToken]) {
        expect(body.includes(value), `${url} leaks a secret or token`).toBe(false);
      }
    }
  });

  test('the server prints and logs no secret or token', async ({ access }) => {
    const accessToken = await access.team.sign({ email: users.viewer.email, expiresIn: -120 });
    // Provoke the paths that log: a refused token, a failed sign-in callback, an unauthenticated call.
    await fetch(`${access.app.url}/api/sources`, { headers: { 'cf-access-jwt-assertion': accessToken, cookie: access.sessions.viewer } });
    await fetch(`${access.app.url}/api/auth/callback/azure-ad?code=bogus&state=bogus`, { headers: await access.accessHeader(users.viewer.email), redirect: 'manual' });
    const logs = [access.app, access.directApp].flatMap((app) => [
      app.output(),
      ...filesUnder(app.dataDir).filter((file) => /\.log$|logs\//.test(file)).map((file) => fs.readFileSync(file, 'utf8')),
    ]);
    const sessionToken = /next-auth\.session-token=([^;]+)/.exec(access.sessions.viewer)![1]!;
    for (const log of logs) {
      for (const value of [...secretValues, accessToken, sessionToken]) expect(log.includes(value)).toBe(false);
      expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
    }
  });
});
