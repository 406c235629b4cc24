// File views name files by a finding's member or a catalogued entry, never by a path: every path
// a caller could send is refused before anything is read, entries that are links out of the space
// are refused, and an oversized diff gets a bounded "too different" answer while other requests
// are still served. Outside the space lie a secret and a FIFO: a server that opened the FIFO would
// hang and fail the test.
import { expect, test } from './access/fixtures.ts';

test.describe('file views', () => {
  const attacks = (space: string, outside: string) => [
    'mike/docs/inside.txt',
    '../outside/secret.txt',
    'mike/../../outside/secret.txt',
    `${outside}/secret.txt`,
    `${outside}/pipe`,
    '/etc/passwd',
    `${space}/uncatalogued.txt`,
    'uncatalogued.txt',
    'mike/docs/link-to-secret.txt',
    'mike/docs/inside.txt\0../../../outside/secret.txt',
    'entry:../../outside/secret.txt',
    'finding:x:0/../../secret',
    'x'.repeat(9000),
  ];

  for (const endpoint of ['preview', 'image'] as const) {
    test(`${endpoint} takes no path, in any parameter`, async ({ localApp }) => {
      for (const attack of attacks(localApp.space, localApp.outside)) {
        const queries: Record<string, string>[] = [{ path: attack }, { file: attack }, { file: `entry:${localApp.entries['docs/inside.txt']}`, path: attack }];
        for (const query of queries) {
          const response = await fetch(`${localApp.url}/api/files/${endpoint}?${new URLSearchParams(query)}`, { signal: AbortSignal.timeout(10_000) });
          const body = await response.text();
          expect(response.status, `${endpoint} ${JSON.stringify(query).slice(0, 120)} → ${body.slice(0, 200)}`).toBe(400);
          expect(body).not.toContain(localApp.secret);
          expect(body).not.toContain('root:x:0:0');
        }
      }
    });
  }

  test('diff takes no path on either side', async ({ localApp }) => {
    const inside = `entry:${localApp.entries['docs/inside.txt']}`;
    for (const attack of attacks(localApp.space, localApp.outside)) {
      for (const query of [{ a: inside, b: attack }, { a: attack, b: inside }]) {
        const response = await fetch(`${localApp.url}/api/files/diff?${new URLSearchParams(query)}`, { signal: AbortSignal.timeout(10_000) });
        const body = await response.text();
        expect(response.status, `diff ${JSON.stringify(query).slice(0, 120)}`).toBe(400);
        expect(body).not.toContain(localApp.secret);
      }
    }
  });

  test('catalogued links out of the space are refused, and unknown entries are not found', async ({ localApp }) => {
    for (const link of ['docs/link-to-secret.txt', 'docs/link-to-pipe', 'outside-dir', 'docs/relative-out.txt']) {
      const id = localApp.entries[link];
      expect(id, link).toBeDefined();
      const response = await fetch(`${localApp.url}/api/files/preview?file=entry:${id}`, { signal: AbortSignal.timeout(10_000) });
      const body = await response.text();
      expect(response.status, `${link} → ${body}`).toBe(400);
      expect(body).toContain('not a file');
      expect(body).not.toContain(localApp.secret);
    }
    expect((await fetch(`${localApp.url}/api/files/preview?file=entry:999999`)).status).toBe(404);
    expect((await fetch(`${localApp.url}/api/files/preview?file=finding:no-such-finding:0`)).status).toBe(404);
  });

  test('a catalogued file is previewed by its entry id (the refusals above are not everything failing)', async ({ localApp }) => {
    const response = await fetch(`${localApp.url}/api/files/preview?file=entry:${localApp.entries['docs/inside.txt']}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ kind: 'text', text: 'inside\n' });
  });

  test('an oversized diff answers "too different", and the server keeps serving meanwhile', async ({ localApp }) => {
    // Two 64 KiB texts with no line in common: unbounded, this diff held the only thread for 34 s.
    const diff = fetch(`${localApp.url}/api/files/diff?a=entry:${localApp.entries['docs/left.txt']}&b=entry:${localApp.entries['docs/right.txt']}`);
    const other = fetch(`${localApp.url}/api/sources`);
    const [diffResponse, otherResponse] = await Promise.all([diff, other]);
    expect(otherResponse.status).toBe(200);
    expect(diffResponse.status).toBe(200);
    expect(await diffResponse.json()).toEqual({
      status: 'too-different',
      reason: 'the versions differ in at least 16384 lines; line diffs are shown for up to 2000 changed lines',
    });
  });
});
