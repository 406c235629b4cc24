// Path inputs to previews, images and diffs: `../`, absolute paths, symbolic links pointing out,
// NUL bytes and over-long names are refused, and nothing outside the space is read. The files
// outside include a FIFO: a server that tried to open it would hang and fail the test.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './access/fixtures.ts';

const secret = 'OUTSIDE-THE-SPACE-7d1f0b';

test.describe('file paths in previews and diffs', () => {
  let space: string;
  let outside: string;

  test.beforeAll(async ({ localApp }) => {
    space = localApp.space;
    outside = path.join(path.dirname(space), 'outside');
    fs.mkdirSync(outside, { recursive: true });
    fs.writeFileSync(path.join(outside, 'secret.txt'), `${secret}\n`);
    if (!fs.existsSync(path.join(outside, 'pipe'))) execFileSync('mkfifo', [path.join(outside, 'pipe')]);
    fs.writeFileSync(path.join(space, 'mike/docs/inside.txt'), 'inside\n');
    for (const [link, target] of [
      ['mike/docs/link-to-secret.txt', path.join(outside, 'secret.txt')],
      ['mike/docs/link-to-pipe', path.join(outside, 'pipe')],
      ['mike/outside-dir', outside],
      ['mike/docs/relative-out.txt', '../../../outside/secret.txt'],
    ] as const) {
      if (!fs.existsSync(path.join(space, link))) fs.symlinkSync(target, path.join(space, link));
    }
  });

  const attacks = () => [
    '../outside/secret.txt',
    'mike/../../outside/secret.txt',
    'mike/docs/../../../outside/pipe',
    path.join(outside, 'secret.txt'),
    path.join(outside, 'pipe'),
    '/etc/passwd',
    `${space}-evil/secret.txt`,
    'mike/docs/link-to-secret.txt',
    'mike/docs/link-to-pipe',
    'mike/outside-dir/secret.txt',
    'mike/outside-dir/pipe',
    'mike/docs/relative-out.txt',
    'mike/docs/inside.txt\0../../../outside/secret.txt',
    `mike/${'n'.repeat(256)}`,
    `mike/${'deep/'.repeat(1000)}x`,
    'x'.repeat(9000),
  ];

  for (const endpoint of ['preview', 'image'] as const) {
    test(`${endpoint} refuses paths that leave the space`, async ({ localApp }) => {
      for (const attack of attacks()) {
        const response = await fetch(`${localApp.url}/api/files/${endpoint}?path=${encodeURIComponent(attack)}`, { signal: AbortSignal.timeout(10_000) });
        const body = await response.text();
        expect([400, 403, 404], `${endpoint} ${JSON.stringify(attack.slice(0, 80))} → ${response.status} ${body.slice(0, 200)}`).toContain(response.status);
        expect(body).not.toContain(secret);
        expect(body).not.toContain('root:x:0:0');
      }
    });
  }

  test('diff refuses paths that leave the space on either side', async ({ localApp }) => {
    for (const attack of attacks()) {
      for (const query of [{ a: 'mike/docs/inside.txt', b: attack }, { a: attack, b: 'mike/docs/inside.txt' }]) {
        const response = await fetch(`${localApp.url}/api/files/diff?${new URLSearchParams(query)}`, { signal: AbortSignal.timeout(10_000) });
        const body = await response.text();
        expect([400, 403, 404], `diff ${JSON.stringify(query).slice(0, 120)} → ${response.status}`).toContain(response.status);
        expect(body).not.toContain(secret);
      }
    }
  });

  test('a file inside the space is previewed (the refusals above are not everything failing)', async ({ localApp }) => {
    const response = await fetch(`${localApp.url}/api/files/preview?path=mike/docs/inside.txt`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('inside');
  });
});

