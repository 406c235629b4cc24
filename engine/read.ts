/**
 * Reading a byte range whole: fs.readSync may return fewer bytes than asked (pipes, network file
 * systems, signals), so callers that need the range loop until it is filled or the file ends.
 */
import fs from 'node:fs';

/** Up to `length` bytes from `offset`; shorter only when the file ends first. */
export function readFully(fd: number, offset: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const read = fs.readSync(fd, buffer, filled, length - filled, offset + filled);
    if (read === 0) break;
    filled += read;
  }
  return buffer.subarray(0, filled);
}
