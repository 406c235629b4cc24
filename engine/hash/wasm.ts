/**
 * XXH128 in WebAssembly (hash-wasm), for the single-file origin tool that runs on a bare Node with
 * no native addon. The same digests as the addon (checked in test/hash/wasm.test.ts), a few times
 * slower per byte — still faster than the disks it reads.
 */
import { createXXHash128 } from 'hash-wasm';
import type { Xxh128Engine } from './content.ts';

/** An engine for one FileHasher (it holds a single streaming state). */
export async function wasmXxh128(): Promise<Xxh128Engine> {
  // Two instances: the one-shot head digest is taken while a streaming digest is under way.
  const [stream, once] = await Promise.all([createXXHash128(), createXXHash128()]);
  return {
    streaming() {
      stream.init();
      return {
        reset: () => void stream.init(),
        update: (data) => void stream.update(data),
        digest: () => stream.digest('hex'),
      };
    },
    oneShot: (data) => once.init().update(data).digest('hex'),
  };
}
