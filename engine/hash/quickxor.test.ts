import { describe, expect, it } from 'vitest';
import { QuickXorHash, quickXorHash } from './quickxor.ts';

// Vectors from rclone's backend/onedrive/quickxorhash tests (input and output in base64).
const vectors: [string, string][] = [
  ['', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='],
  ['Sg==', 'SgAAAAAAAAAAAAAAAQAAAAAAAAA='],
  ['tbQ=', 'taAFAAAAAAAAAAAAAgAAAAAAAAA='],
  ['0pZP', '0rDEEwAAAAAAAAAAAwAAAAAAAAA='],
  ['jRRDVA==', 'jaDAEKgAAAAAAAAABAAAAAAAAAA='],
  ['eAV52qE=', 'eChAHrQRCgAAAAAABQAAAAAAAAA='],
  ['luBZlaT6', 'lgBHFipBCn0AAAAABgAAAAAAAAA='],
  ['qaApEj66lw==', 'qQBFCiTgA11cAgAABwAAAAAAAAA='],
  ['/aNzzCFPS/A=', '/RjFHJgRgicsAR4ACAAAAAAAAAA='],
];

describe('QuickXorHash', () => {
  it.each(vectors)('hashes %s to %s', (input, output) => {
    expect(quickXorHash(Buffer.from(input, 'base64'))).toBe(output);
  });

  it('gives the same digest however the input is split (bytes 160 apart share a lane)', () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) % 256));
    const split = new QuickXorHash().update(data.subarray(0, 7)).update(data.subarray(7, 500)).update(data.subarray(500)).digest();
    expect(split.toString('base64')).toBe(quickXorHash(data));
    expect(quickXorHash(data)).not.toBe(quickXorHash(Buffer.concat([data.subarray(1), data.subarray(0, 1)])));
  });
});
