/**
 * Thumbnails and picture overlays, cached as PNG files under the data dir (never in the space),
 * named by the content hash of what they show: the same picture anywhere shares one entry, and
 * a changed file gets a new one. The cache keeps itself under a size cap by dropping the least
 * recently used files (each hit refreshes its file's mtime).
 */
import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Bytes the cache may hold; beyond, the least recently used go until it is at 80%. */
export const thumbnailCacheBytes = 256 * 1024 * 1024;

/** `thumb-<xxh128>` or `overlay-<xxh128>-<xxh128>`, and the rendering's version. */
const keyPattern = /^(thumb-[0-9a-f]{32}|overlay-[0-9a-f]{32}-[0-9a-f]{32})-v\d+$/;

export class ThumbnailCache {
  private sinceEviction = 0;

  constructor(
    readonly dir: string,
    readonly capBytes = thumbnailCacheBytes,
  ) {}

  private file(key: string): string {
    if (!keyPattern.test(key)) throw new Error(`not a cache key: ${key}`);
    return path.join(this.dir, key.slice(-8, -6), `${key}.png`);
  }

  async get(key: string): Promise<Buffer | null> {
    const file = this.file(key);
    try {
      const bytes = await fs.readFile(file);
      const now = new Date();
      await fs.utimes(file, now, now).catch(() => undefined);
      return bytes;
    } catch {
      return null;
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(temporary, bytes, { mode: 0o600 });
    await fs.rename(temporary, file);
    this.sinceEviction += bytes.length;
    // Listing the cache costs a stat per file: only after a tenth of the cap was written.
    if (this.sinceEviction >= this.capBytes / 10) await this.evict();
  }

  /** Drops least recently used files until the cache is at 80% of its cap; returns the bytes it holds. */
  async evict(): Promise<number> {
    this.sinceEviction = 0;
    const files: { file: string; size: number; used: number }[] = [];
    for (const folder of await fs.readdir(this.dir).catch(() => [] as string[])) {
      for (const name of await fs.readdir(path.join(this.dir, folder)).catch(() => [] as string[])) {
        const file = path.join(this.dir, folder, name);
        const stat = await fs.stat(file).catch(() => null);
        if (stat?.isFile()) files.push({ file, size: stat.size, used: stat.mtimeMs });
      }
    }
    let total = files.reduce((sum, item) => sum + item.size, 0);
    if (total <= this.capBytes) return total;
    files.sort((a, b) => a.used - b.used);
    for (const item of files) {
      if (total <= this.capBytes * 0.8) break;
      await fs.rm(item.file, { force: true });
      total -= item.size;
    }
    return total;
  }
}
