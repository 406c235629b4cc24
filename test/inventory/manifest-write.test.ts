/** `reconcile manifest`: complete on trees with many folders, written through one back-pressured pipeline. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileHasher } from '../../engine/hash/index.ts';
import { writeManifest } from '../../engine/inventory/index.ts';
import { tempDir } from '../helpers.ts';
import { manifestLines } from './read-manifest.ts';

/** `folders` folders of one file each, in `folders / 100` parents: more text than the gzip stream buffers. */
function manyFolders(root: string, folders: number): void {
  for (let i = 0; i < folders; i++) {
    const folder = path.join(root, `p${i % 100}`, `folder-${i}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `file-${i}.txt`), `content of file ${i}\n`.repeat(1 + (i % 7)));
  }
}


const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
afterEach(() => {
  process.off('warning', onWarning);
  warnings.length = 0;
});

describe('manifest writing', () => {
  it('lists every file and folder of a tree with many folders, hashed, with the gzip stream flushed', async () => {
    process.on('warning', onWarning);
    const dir = tempDir('reconcile-manifest-many-');
    const root = path.join(dir, 'origin');
    manyFolders(root, 6000);
    const out = path.join(dir, 'many.jsonl.gz');
    const summary = await writeManifest({ dir: root, out, hash: true });
    expect(summary).toMatchObject({ entries: 100 + 6000 * 2, files: 6000, hashed: 6000, skipped: [] });
    const [header, ...entries] = manifestLines(out);
    expect(header).toMatchObject({ format: 'reconcile-manifest', hash: 'xxh128' });
    expect(entries).toHaveLength(summary.entries);
    const files = entries.filter((entry) => entry.type === 'file');
    expect(files).toHaveLength(6000);
    expect(files.every((entry) => typeof entry.xxh128 === 'string')).toBe(true);
    expect(new Set(entries.map((entry) => entry.path)).size).toBe(entries.length);
    // The last file of the walk is there: nothing is left in the gzip stream's buffer.
    expect(entries.some((entry) => entry.path === 'p99/folder-5999/file-5999.txt')).toBe(true);
    // Back-pressure is awaited in one place, not by a listener per waiting line.
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('keeps an earlier manifest when a new run fails part-way, and leaves no partial file', async () => {
    const dir = tempDir('reconcile-manifest-fail-');
    const root = path.join(dir, 'origin');
    manyFolders(root, 50);
    const out = path.join(dir, 'origin.jsonl.gz');
    fs.writeFileSync(out, 'the earlier manifest');
    let reads = 0;
    const failing = {
      run() {
        if (++reads > 20) throw new Error('disk gone');
        return { id: 0, full: '0'.repeat(32), bytesRead: 1 };
      },
    } as unknown as FileHasher;
    await expect(writeManifest({ dir: root, out, hash: true, walkers: { kind: 'inline', hasher: async () => failing } })).rejects.toThrow('disk gone');
    expect(fs.readFileSync(out, 'utf8')).toBe('the earlier manifest');
    expect(fs.readdirSync(dir).sort()).toEqual(['origin', 'origin.jsonl.gz']);
  });
});
