/**
 * A small seeded PRNG (sfc32 seeded through splitmix32) so a scenario is a pure function of its
 * seed: the same seed gives the same names, contents and times on every machine.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] (both included). */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  bytes(length: number): Buffer;
  /** Lowercase letters and digits, like the suffix rsync gives its temp files. */
  token(length: number, alphabet?: string): string;
  /** A child stream: adding draws to one part of the scenario does not shift the others. */
  fork(label: string): Random;
}

export function createRandom(seed: number | string): Random {
  const state = seedState(String(seed));
  return fromState(state);
}

function fromState(state: Uint32Array): Random {
  const nextUint32 = (): number => {
    // sfc32: a=state[0], b=state[1], c=state[2], counter=state[3]
    const t = (((state[0]! + state[1]!) >>> 0) + state[3]!) >>> 0;
    state[3] = (state[3]! + 1) >>> 0;
    state[0] = state[1]! ^ (state[1]! >>> 9);
    state[1] = (state[2]! + (state[2]! << 3)) >>> 0;
    state[2] = ((state[2]! << 21) | (state[2]! >>> 11)) >>> 0;
    state[2] = (state[2]! + t) >>> 0;
    return t;
  };
  const random: Random = {
    next: () => nextUint32() / 4294967296,
    int: (min, max) => min + Math.floor(random.next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[random.int(0, items.length - 1)]!;
    },
    chance: (probability) => random.next() < probability,
    bytes: (length) => {
      const buffer = Buffer.allocUnsafe(length);
      const words = length >>> 2;
      let offset = 0;
      if (littleEndian && buffer.byteOffset % 4 === 0) {
        fillWords(state, new Uint32Array(buffer.buffer, buffer.byteOffset, words));
        offset = words * 4;
      } else for (; offset + 4 <= length; offset += 4) buffer.writeUInt32LE(nextUint32(), offset);
      if (offset < length) {
        const last = nextUint32();
        for (let shift = 0; offset < length; offset += 1, shift += 8) buffer[offset] = (last >>> shift) & 0xff;
      }
      return buffer;
    },
    token: (length, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') =>
      Array.from({ length }, () => alphabet[random.int(0, alphabet.length - 1)]).join(''),
    fork: (label) => fromState(seedState(`${nextUint32()}:${label}`)),
  };
  return random;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * sfc32 as nextUint32 runs it, with the state in locals: demo content is mostly random bytes, and
 * this fills them about ten times faster (the same words: `bytes` writes them little-endian).
 */
function fillWords(state: Uint32Array, out: Uint32Array): void {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let counter = state[3]!;
  for (let index = 0; index < out.length; index += 1) {
    const t = (((a + b) >>> 0) + counter) >>> 0;
    counter = (counter + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    out[index] = t;
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = counter;
}

/** splitmix32 over a string hash: spreads any seed (0, 1, 'demo') over the whole state. */
function seedState(seed: string): Uint32Array {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i += 1) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i += 1) {
    h = (h + 0x9e3779b9) >>> 0;
    let z = h;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    state[i] = (z ^ (z >>> 16)) >>> 0;
  }
  return state;
}
