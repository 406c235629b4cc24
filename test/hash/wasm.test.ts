/** The WebAssembly XXH128 of the single-file origin tool gives the addon's digests, through the same file reader. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentHasher, EDGE_BYTES, EMPTY_XXH128, FileHasher, TAIL_MIN_SIZE, type HashKind } from '../../engine/hash/index.ts';
import { wasmXxh128 } from '../../engine/hash/wasm.ts';
import { tempDir } from '../helpers.ts';

describe('WebAssembly XXH128', () => {
  it('equals xxhash-addon on every size class, in every task kind, with reads split across the buffer', async () => {
    const dir = tempDir('reconcile-wasm-');
    const sizes = [1, 15, 16, 17, 127, 128, 129, 240, 241, EDGE_BYTES - 1, EDGE_BYTES, EDGE_BYTES + 1, 100_000, TAIL_MIN_SIZE + 1, 3 * 1024 * 1024 + 7];
    // A small read buffer on both sides: streaming state carried across many updates.
    const addon = new ContentHasher(EDGE_BYTES);
    const wasm = new FileHasher(await wasmXxh128(), EDGE_BYTES);
    for (const [index, size] of sizes.entries()) {
      const file = path.join(dir, `f${index}`);
      fs.writeFileSync(file, crypto.randomBytes(size));
      const stat = fs.statSync(file, { bigint: true });
      for (const kind of ['full', 'head', 'tail'] as HashKind[]) {
        const task = { id: index, path: Buffer.from(file), kind, size: stat.size, dev: stat.dev, ino: stat.ino };
        const expected = addon.run(task);
        expect(expected.errorCode).toBeUndefined();
        expect(wasm.run(task), `${kind} of ${size} bytes`).toEqual(expected);
      }
    }
    expect((await wasmXxh128()).oneShot(new Uint8Array(0))).toBe(EMPTY_XXH128);
  });
});
