/** The JSON lines of a manifest file (header first), as the tests read them back. */
import fs from 'node:fs';
import zlib from 'node:zlib';

export function manifestLines(file: string): Record<string, unknown>[] {
  return zlib
    .gunzipSync(fs.readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
