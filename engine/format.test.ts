import { describe, expect, it } from 'vitest';
import { formatBytes } from './format.ts';

describe('formatBytes', () => {
  it('counts in binary units, as du -h and rclone do', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12 * 1024 ** 2)).toBe('12.0 MiB');
    expect(formatBytes(3.25 * 1024 ** 4)).toBe('3.3 TiB');
  });

  it('never prints 1024.0 of a unit', () => {
    expect(formatBytes(1024 ** 2 - 1)).toBe('1.0 MiB');
    expect(formatBytes(1024 ** 3 - 1024)).toBe('1.0 GiB');
  });
});
