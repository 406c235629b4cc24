import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../test/helpers.ts';

vi.mock('server-only', () => ({}));
const { openInSpace, UnsafePathError } = await import('./open-in-space.ts');
const { previewFile, diffFiles } = await import('./preview.ts');

let space: string;
let outside: string;

beforeAll(() => {
  const root = tempDir('reconcile-files-');
  space = path.join(root, 'space');
  outside = path.join(root, 'outside');
  fs.mkdirSync(path.join(space, 'mike/docs'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'top secret\n');
  fs.writeFileSync(path.join(space, 'mike/docs/a.txt'), 'one\ntwo\nthree\n');
  fs.writeFileSync(path.join(space, 'mike/docs/b.txt'), 'one\n2\nthree\nfour\n');
  fs.writeFileSync(path.join(space, 'mike/docs/blob.bin'), Buffer.from([0, 1, 2, 255, 65, 66]));
  fs.writeFileSync(path.join(space, 'mike/docs/big.txt'), 'x'.repeat(300 * 1024));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(space, 'mike/link.txt'));
  fs.symlinkSync(outside, path.join(space, 'mike/linkdir'));
  fs.writeFileSync(Buffer.from(path.join(space, 'mike/docs/caf\xe9.txt'), 'latin1'), 'latin-1 name\n');
});

async function reason(input: string | Buffer): Promise<string> {
  try {
    const file = await openInSpace(space, input);
    await file.close();
    return 'opened';
  } catch (error) {
    if (error instanceof UnsafePathError) return error.reason;
    throw error;
  }
}

describe('openInSpace', () => {
  it('opens files by relative and absolute path inside the space', async () => {
    expect(await reason('mike/docs/a.txt')).toBe('opened');
    expect(await reason(path.join(space, 'mike/docs/a.txt'))).toBe('opened');
    expect(await reason(Buffer.from('mike/docs/caf\xe9.txt', 'latin1'))).toBe('opened');
  });

  it('refuses .., absolute paths elsewhere, NUL and over-long names', async () => {
    expect(await reason('../outside/secret.txt')).toBe('dot-dot');
    expect(await reason('mike/../../outside/secret.txt')).toBe('dot-dot');
    expect(await reason(path.join(outside, 'secret.txt'))).toBe('outside-space');
    expect(await reason(`${space}-evil/secret.txt`)).toBe('outside-space');
    expect(await reason('/etc/passwd')).toBe('outside-space');
    expect(await reason('mike/docs/a.txt\0.png')).toBe('nul-byte');
    expect(await reason(`mike/${'n'.repeat(256)}`)).toBe('too-long');
    expect(await reason('a/'.repeat(3000))).toBe('too-long');
  });

  it('never follows a symbolic link, as the file or as a folder on the way', async () => {
    expect(await reason('mike/link.txt')).toBe('symlink');
    expect(await reason('mike/linkdir/secret.txt')).toBe('symlink');
  });

  it('refuses folders and files that do not exist', async () => {
    expect(await reason('mike/docs')).toBe('not-a-file');
    expect(await reason('mike/docs/nope.txt')).toBe('not-found');
    expect(await reason('mike/docs/a.txt/inner')).toBe('not-found');
  });
});

describe('previews', () => {
  it('shows text, bounded to 256 KiB', async () => {
    const small = await previewFile(space, 'mike/docs/a.txt');
    expect(small).toMatchObject({ kind: 'text', text: 'one\ntwo\nthree\n', truncated: false });
    const big = await previewFile(space, 'mike/docs/big.txt');
    expect(big.kind).toBe('text');
    if (big.kind === 'text') {
      expect(big.truncated).toBe(true);
      expect(big.text.length).toBe(256 * 1024);
    }
  });

  it('shows a hex summary for binaries', async () => {
    const blob = await previewFile(space, 'mike/docs/blob.bin');
    expect(blob.kind).toBe('binary');
    if (blob.kind === 'binary') expect(blob.hex[0]).toEqual({ offset: 0, hex: '00 01 02 ff 41 42', ascii: '....AB' });
  });

  it('diffs two text files line by line', async () => {
    const view = await diffFiles(space, 'mike/docs/a.txt', 'mike/docs/b.txt');
    if (view.status !== 'diff') throw new Error(`expected a diff, got ${view.status}`);
    expect(view.diff.added).toBe(2);
    expect(view.diff.removed).toBe(1);
    expect(view.diff.parts.map((part) => part.op)).toEqual(['same', 'remove', 'add', 'same', 'add']);
    expect((await diffFiles(space, 'mike/docs/a.txt', 'mike/docs/blob.bin')).status).toBe('not-text');
  });
});
