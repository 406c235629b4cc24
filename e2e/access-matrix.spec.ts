// The authorization matrix (test/access/matrix.ts) against a real server: every route handler and
// page, as anonymous, a signed-in account without a role, viewer, reviewer, operator and admin,
// each behind a valid Cloudflare Access token and with our own Origin on mutations.
import { expect, test, type AccessStack } from './access/fixtures.ts';
import { users } from './access/stack.ts';
import { expectedRedirect, expectedStatus, handlerRows, pageRows, personas, type Persona } from '../test/access/matrix.ts';

async function call(access: AccessStack, persona: Persona, request: { method: string; url: string; body?: unknown }): Promise<Response> {
  const email = persona === 'anonymous' ? users.viewer.email : users[persona].email;
  const headers: Record<string, string> = { ...(await access.accessHeader(email)), origin: access.app.url };
  if (persona !== 'anonymous') headers.cookie = access.sessions[persona];
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${access.app.url}${request.url}`, {
    method: request.method,
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    redirect: 'manual',
  });
}

test.describe('authorization matrix', () => {
  for (const row of handlerRows) {
    test(`${row.method} ${row.url} (${row.file})`, async ({ access }) => {
      const outcome: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const persona of personas) {
        const response = await call(access, persona, row);
        outcome[persona] = response.status;
        expected[persona] = expectedStatus(row, persona);
        if (response.status === 401 || response.status === 403) {
          expect((await response.json()).error.code).toBe(response.status === 401 ? 'unauthorized' : 'forbidden');
        }
      }
      expect(outcome).toEqual(expected);
    });
  }

  for (const row of pageRows) {
    test(`page ${row.url} (${row.file})`, async ({ access }) => {
      const outcome: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const persona of personas) {
        const response = await call(access, persona, { method: 'GET', url: row.url });
        const location = response.headers.get('location');
        outcome[persona] = `${response.status}${location && expectedRedirect(row, persona) ? ` ${new URL(location, access.app.url).pathname}` : ''}`;
        const redirect = expectedRedirect(row, persona);
        expected[persona] = `${expectedStatus(row, persona)}${redirect ? ` ${redirect}` : ''}`;
      }
      expect(outcome).toEqual(expected);
    });
  }
});

test('every page renders and hydrates under the Content Security Policy', async ({ browser, access }) => {
  const context = await browser.newContext({ extraHTTPHeaders: await access.accessHeader(users.admin.email) });
  const [name, value] = access.sessions.admin.split('; ').find((cookie) => cookie.startsWith('next-auth.session-token='))!.split(/=(.*)/s) as [string, string];
  await context.addCookies([{ name, value, url: access.app.url, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect)/.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  for (const row of pageRows.filter((candidate) => candidate.role !== 'public')) {
    await page.goto(`${access.app.url}${row.url}`);
    await page.waitForLoadState('networkidle');
  }
  expect(violations).toEqual([]);
  await context.close();
});
