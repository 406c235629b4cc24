/**
 * QuickXorHash, the content hash OneDrive for Business reports (Microsoft's published algorithm:
 * a 160-bit register; byte k is XORed in at bit (11·k) mod 160, circularly; the 64-bit
 * little-endian length is XORed into the last 8 bytes). No maintained npm package exists, so it
 * is implemented here and checked against rclone's published test vectors.
 *
 * Bytes 160 apart land on the same bit position, so the running state is just 160 byte lanes;
 * the shifting happens once, in digest().
 */
const WIDTH_BITS = 160;
const SHIFT = 11;

export class QuickXorHash {
  private readonly lanes = new Uint8Array(WIDTH_BITS);
  private position = 0;
  private length = 0n;

  update(data: Uint8Array): this {
    const lanes = this.lanes;
    let lane = this.position;
    for (let i = 0; i < data.length; i++) {
      lanes[lane] = lanes[lane]! ^ data[i]!;
      if (++lane === WIDTH_BITS) lane = 0;
    }
    this.position = lane;
    this.length += BigInt(data.length);
    return this;
  }

  digest(): Buffer {
    const out = Buffer.alloc(WIDTH_BITS / 8);
    for (let lane = 0; lane < WIDTH_BITS; lane++) {
      const value = this.lanes[lane]!;
      if (value === 0) continue;
      const bit = (lane * SHIFT) % WIDTH_BITS;
      // The byte spans bits [bit, bit+8) of the circular register.
      for (let b = 0; b < 8; b++) {
        if (((value >> b) & 1) === 0) continue;
        const target = (bit + b) % WIDTH_BITS;
        out[target >> 3]! ^= 1 << (target & 7);
      }
    }
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(this.length);
    for (let i = 0; i < 8; i++) out[WIDTH_BITS / 8 - 8 + i]! ^= length[i]!;
    return out;
  }
}

/** QuickXorHash of a buffer, as base64 (what OneDrive's API reports). */
export function quickXorHash(data: Uint8Array): string {
  return new QuickXorHash().update(data).digest().toString('base64');
}
