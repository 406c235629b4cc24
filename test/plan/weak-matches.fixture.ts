/**
 * A space checked against two origin inventories: `mac` lists sizes and mtimes only (two files
 * match that way, one more carries an XXH128, one never arrived), `m365` has an XXH128 for its file.
 * Shared by the report test and the dashboard service test.
 */
import xxhash from 'xxhash-addon';
import { SpaceFixture } from './fixture.ts';

const mtime = 1_767_000_000;
const mtimeNs = BigInt(mtime) * 1_000_000_000n;
const xxh = (content: string) => xxhash.XXHash128.hash(Buffer.from(content)).toString('hex');

/** What the mac inventory's counts must be: 4 files, 3 present, 2 of them by size (+ mtime) alone. */
export const macWeak = { files: 2, bytes: 'same size + mtime'.length + 'touched since'.length };

/** Builds the space into `fixture` (a fresh one by default; pass one to point the environment at it first). */
export async function weakMatchSpace(fixture = new SpaceFixture()): Promise<SpaceFixture> {
  fixture.configure({
    sources: [
      { id: 'mac', kind: 'rsync', class: 'local', landing: 'mike', origin: '/Users/miket/dev' },
      { id: 'm365', kind: 'rclone', class: 'cloud', landing: 'inbox/m365', origin: 'm365:', remote: 'm365:' },
    ],
  });
  fixture.write('mike/same.txt', 'same size + mtime', mtime);
  fixture.write('mike/touched.txt', 'touched since', mtime + 3600);
  fixture.write('mike/hashed.txt', 'hashed content', mtime);
  fixture.write('inbox/m365/report.docx', 'cloud report', mtime);
  await fixture.scan();
  fixture.origin('mac', [
    { relPath: 'same.txt', size: 'same size + mtime'.length, mtimeNs },
    { relPath: 'touched.txt', size: 'touched since'.length, mtimeNs },
    { relPath: 'hashed.txt', size: 'hashed content'.length, mtimeNs, xxh128: xxh('hashed content') },
    { relPath: 'gone.txt', size: 9, mtimeNs },
  ]);
  fixture.origin('m365', [{ relPath: 'report.docx', size: 'cloud report'.length, mtimeNs, xxh128: xxh('cloud report') }], 'm365:');
  return fixture;
}
