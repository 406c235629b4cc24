/**
 * Hashing reads files in device and inode order (on a cold disk, roughly where their data lies),
 * not in the order the walk met them: both while the walk goes on and in the stages after it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Db } from '../../engine/db/index.ts';
import { adhocSources, scan } from '../../engine/scan/index.ts';
import { tempDatabase, tempDir } from '../helpers.ts';

let db: Db;
let root: string;

beforeEach(() => {
  db = tempDatabase().db;
  root = tempDir('reconcile-read-order-');
});
afterEach(() => db.close());

/** Same-size files (all duplicate candidates), created in reverse name order so inode order is not name order. */
function sameSizeFiles(folder: string, count: number, link = false): void {
  fs.mkdirSync(path.join(root, folder), { recursive: true });
  const past = new Date(Date.now() - 3_600_000);
  for (let index = count - 1; index >= 0; index--) {
    const file = path.join(root, folder, `f${String(index).padStart(3, '0')}.bin`);
    fs.writeFileSync(file, `content number ${String(index).padStart(3, '0')}`);
    fs.utimesSync(file, past, past);
    // A second name for the same inode: such files wait for the stages after the walk.
    if (link) fs.linkSync(file, `${file}.link`);
  }
}

async function readOrder(): Promise<bigint[]> {
  const inodes: bigint[] = [];
  await scan(db, {
    sources: adhocSources(db, [root]),
    hashWorkers: 1,
    hooks: { beforeHash: (paths) => paths.forEach((file) => inodes.push(fs.statSync(Buffer.from(file), { bigint: true }).ino)) },
  });
  return inodes;
}

const ascending = (values: bigint[]) => values.every((value, index) => index === 0 || values[index - 1]! <= value);

it('reads the files the walk hands out in inode order', async () => {
  sameSizeFiles('a', 40);
  sameSizeFiles('b', 40);
  const inodes = await readOrder();
  expect(inodes.length).toBe(80);
  expect(ascending(inodes)).toBe(true);
});

it('reads hard-linked files in the stages after the walk in inode order', async () => {
  sameSizeFiles('linked', 60, true);
  const inodes = await readOrder();
  expect(new Set(inodes).size).toBe(60);
  expect(ascending(inodes)).toBe(true);
});
