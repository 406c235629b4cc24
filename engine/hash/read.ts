/** File hashing with the native XXH128 of xxhash-addon (~15-20 GB/s): the server's and the CLI's. */
import xxhash from 'xxhash-addon';
import { FileHasher, type Xxh128Engine } from './content.ts';

export * from './content.ts';

const seed = Buffer.alloc(8);

export const addonXxh128: Xxh128Engine = {
  streaming() {
    // The streaming constructor needs its seed: without one the addon crashes the process.
    const state = new xxhash.XXHash128(seed);
    return {
      reset: () => state.reset(),
      update: (data) => state.update(data as Buffer),
      digest: () => state.digest().toString('hex'),
    };
  },
  oneShot: (data) => xxhash.XXHash128.hash(data as Buffer).toString('hex'),
};

/** A FileHasher on the native XXH128. */
export class ContentHasher extends FileHasher {
  constructor(bufferBytes?: number) {
    super(addonXxh128, bufferBytes);
  }
}
