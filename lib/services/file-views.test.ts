// File views name a file by a finding's member or a catalogued entry's id, never by a path: a file
// the catalog does not hold cannot be named at all, and what the database names is still opened
// only inside the space, never through a symbolic link, only when it is a regular file.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildPlan } from '../../engine/plan/index.ts';
import { SpaceFixture } from '../../test/plan/fixture.ts';
import { fileDiffUrl, fileViewUrl, formatFileRef, parseFileRef, type FileRef } from '../files/file-ref.ts';

vi.mock('server-only', () => ({}));

const fixture = new SpaceFixture();
process.env.RECONCILE_DATA_DIR = fixture.dataDir;
process.env.RECONCILE_CONFIG = path.join(fixture.dir, 'reconcile.yaml');
const outside = path.join(fixture.dir, 'outside');
const secret = 'NOT-IN-THE-CATALOG-5a1c';
const { diffQuerySchema, diffRef, fileQuerySchema, imageRef, previewRef } = await import('./file-views.ts');
const { ApiError } = await import('../api/respond.ts');

const photoBytes = 20 * 1024 * 1024;
const openFiles = () => fs.readdirSync('/proc/self/fd').length;
const noCommonLine = (prefix: string) => Array.from({ length: 8192 }, (_, index) => `${prefix}${String(index).padStart(6, '0')}\n`).join('');
let entries: Map<string, number>;
let duplicate: string;

beforeAll(async () => {
  fixture.configure({ sources: [{ id: 'mac', kind: 'rsync', class: 'local', landing: 'mike', origin: '/Users/miket' }] });
  fixture.write('mike/docs/a.txt', 'one\ntwo\nthree\n');
  fixture.write('mike/docs/b.txt', 'one\n2\nthree\n');
  fixture.write('mike/copy-1/logo.png', Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(64, 7)]));
  fixture.write('mike/copy-2/logo.png', Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(64, 7)]));
  fixture.write('mike/left.txt', noCommonLine('a'));
  fixture.write('mike/right.txt', noCommonLine('b'));
  fixture.write(Buffer.from('mike/caf\xe9.txt', 'latin1'), 'latin-1 name\n');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), `${secret}\n`);
  fs.writeFileSync(path.join(fixture.space, 'uncatalogued.txt'), `${secret}\n`);
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(fixture.space, 'mike/link.txt'));
  fixture.write('mike/photo.jpg', Buffer.alloc(photoBytes, 0x11));
  await fixture.scan();
  buildPlan(fixture.db, fixture.config);
  const rows = fixture.db.prepare("SELECT id, path FROM Entry WHERE sourceId = 'mac'").all() as { id: number; path: string }[];
  entries = new Map(rows.map((row) => [row.path, row.id]));
  duplicate = (fixture.db.prepare("SELECT id FROM Finding WHERE kind = 'duplicate'").pluck().get() as string | undefined)!;
});

const entry = (relPath: string): FileRef => ({ entry: entries.get(relPath)! });

async function refusal(read: () => Promise<unknown>): Promise<string> {
  try {
    await read();
  } catch (error) {
    if (error instanceof ApiError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('file references', () => {
  it('round-trip through their query form, and nothing else parses as one', () => {
    for (const ref of [{ entry: 42 }, { finding: 'conflict-0123456789abcdef', member: 3 }] as FileRef[]) expect(parseFileRef(formatFileRef(ref))).toEqual(ref);
    for (const value of ['mike/docs/a.txt', '/etc/passwd', 'entry:', 'entry:0', 'entry:-1', 'entry:1.5', 'entry:99999999999', 'finding::1', 'finding:x', 'finding:x:-1', 'path:mike/a.txt']) {
      expect(parseFileRef(value), value).toBeNull();
    }
    expect(fileViewUrl('preview', { entry: 7 })).toBe('/api/files/preview?file=entry%3A7');
    expect(fileDiffUrl({ finding: 'f', member: 0 }, { entry: 7 })).toBe('/api/files/diff?a=finding%3Af%3A0&b=entry%3A7');
  });

  it('the query schemas take references only: a path, or any extra parameter, is refused', () => {
    expect(fileQuerySchema.safeParse({ path: 'mike/docs/a.txt' }).success).toBe(false);
    expect(fileQuerySchema.safeParse({ file: 'mike/docs/a.txt' }).success).toBe(false);
    expect(fileQuerySchema.safeParse({ file: 'entry:1', path: 'mike/docs/a.txt' }).success).toBe(false);
    expect(fileQuerySchema.safeParse({ finding: duplicate, member: '0' }).success).toBe(false);
    expect(diffQuerySchema.safeParse({ a: 'mike/docs/a.txt', b: 'mike/docs/b.txt' }).success).toBe(false);
    expect(fileQuerySchema.parse({ file: 'entry:12' })).toEqual({ file: { entry: 12 } });
    expect(diffQuerySchema.parse({ a: 'entry:1', b: `finding:${duplicate}:1` })).toEqual({ a: { entry: 1 }, b: { finding: duplicate, member: 1 } });
  });
});

describe('file views by reference', () => {
  it('previews a catalogued entry by id, whatever bytes its name holds', async () => {
    expect(await previewRef(entry('docs/a.txt'))).toMatchObject({ kind: 'text', text: 'one\ntwo\nthree\n' });
    const latin1 = [...entries.keys()].find((name) => name.startsWith('caf'))!;
    expect(await previewRef(entry(latin1))).toMatchObject({ kind: 'text', text: 'latin-1 name\n' });
  });

  it('previews and shows a finding member by position', async () => {
    expect(await previewRef({ finding: duplicate, member: 1 })).toMatchObject({ kind: 'image', mimeType: 'image/png' });
    const image = await imageRef({ finding: duplicate, member: 0 });
    expect(image.headers.get('content-type')).toBe('image/png');
    expect((await image.arrayBuffer()).byteLength).toBe(72);
    expect(await refusal(() => previewRef({ finding: duplicate, member: 9 }))).toBe('not_found: no such member');
    expect(await refusal(() => previewRef({ finding: 'duplicate-0000000000000000', member: 0 }))).toBe('not_found: no such finding');
  });

  it('streams a large image as it is sent rather than reading it whole first, and closes the file', async () => {
    const before = openFiles();
    const response = await imageRef(entry('photo.jpg'));
    expect(response.headers.get('content-length')).toBe(String(photoBytes));
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value!.length).toBeLessThan(photoBytes);
    // The end of the file changes after the first bytes went out: a streamed answer sends the new end.
    const descriptor = fs.openSync(path.join(fixture.space, 'mike/photo.jpg'), 'r+');
    fs.writeSync(descriptor, Buffer.alloc(1024, 0x22), 0, 1024, photoBytes - 1024);
    fs.closeSync(descriptor);
    const chunks = [first.value!];
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    const sent = Buffer.concat(chunks);
    expect(sent.length).toBe(photoBytes);
    expect(sent.subarray(-1024).every((byte) => byte === 0x22)).toBe(true);
    expect(openFiles()).toBe(before);

    // A browser that goes away mid-image: the file is closed too.
    const abandoned = await imageRef(entry('photo.jpg'));
    const abandonedReader = abandoned.body!.getReader();
    await abandonedReader.read();
    await abandonedReader.cancel();
    expect(openFiles()).toBe(before);
  });

  it('diffs any two references, and answers an oversized pair "too different"', async () => {
    const view = await diffRef(entry('docs/a.txt'), entry('docs/b.txt'));
    expect(view.status === 'diff' && view.diff).toMatchObject({ added: 1, removed: 1 });
    expect(await diffRef(entry('left.txt'), entry('right.txt'))).toMatchObject({ status: 'too-different' });
    expect(await diffRef(entry('docs/a.txt'), { finding: duplicate, member: 0 })).toEqual({ status: 'not-text' });
  });

  it('refuses entries that are not regular files, unknown ids, and entries gone from the space', async () => {
    expect(await refusal(() => previewRef(entry('link.txt')))).toBe('bad_request: this entry is a symlink, not a file');
    expect(await refusal(() => previewRef(entry('docs')))).toBe('bad_request: this entry is a dir, not a file');
    expect(await refusal(() => previewRef({ entry: 999_999 }))).toBe('not_found: no such entry in the catalog');
    fs.renameSync(path.join(fixture.space, 'mike/docs/b.txt'), path.join(fixture.space, 'mike/docs/b-moved.txt'));
    expect(await refusal(() => previewRef(entry('docs/b.txt')))).toBe('not_found: no such file in the space');
    fs.renameSync(path.join(fixture.space, 'mike/docs/b-moved.txt'), path.join(fixture.space, 'mike/docs/b.txt'));
  });

  it('does not follow a folder swapped for a symbolic link after the scan', async () => {
    const docs = path.join(fixture.space, 'mike/docs');
    fs.renameSync(docs, `${docs}-real`);
    fs.symlinkSync(outside, docs);
    try {
      expect(await refusal(() => previewRef(entry('docs/a.txt')))).toBe('forbidden: path goes through a symbolic link');
    } finally {
      fs.unlinkSync(docs);
      fs.renameSync(`${docs}-real`, docs);
    }
  });
});
