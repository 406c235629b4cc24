/**
 * Byte counts for people, in binary units as `du -h` and rclone show them (1 KiB = 1024 B). The one
 * formatter of the CLI, the reports and the web app; it imports nothing, so the browser can use it.
 */
const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export const mebibyte = 1024 * 1024;

/** 512 B, 1.5 KiB, 12.0 MiB: whole bytes below 1 KiB, one decimal above. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  // Step up before rounding would print 1024.0 of a unit.
  while (Math.abs(value) >= 1023.95 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
