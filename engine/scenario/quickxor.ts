/**
 * QuickXorHash, the content hash OneDrive for Business reports (and `rclone lsjson --hash` prints
 * as lowercase hex). A 160-bit register: byte k is XORed in at bit (k * 11) mod 160, wrapping; the
 * length as a little-endian int64 is XORed into the last 8 bytes.
 */
const widthInBits = 160;
const shift = 11;

export function quickXorHash(data: Uint8Array): string {
  const register = new Uint8Array(widthInBits / 8);
  for (let index = 0; index < data.length; index += 1) {
    const byte = data[index]!;
    if (byte === 0) continue;
    const start = (index * shift) % widthInBits;
    for (let bit = 0; bit < 8; bit += 1) {
      if (((byte >> bit) & 1) === 0) continue;
      const position = (start + bit) % widthInBits;
      register[position >> 3]! ^= 1 << (position & 7);
    }
  }
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(data.length));
  for (let i = 0; i < 8; i += 1) register[register.length - 8 + i]! ^= length[i]!;
  return Buffer.from(register).toString('hex');
}
