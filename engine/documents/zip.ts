/**
 * Zips read through an open file descriptor, never whole: the central directory lists the parts,
 * and a part is inflated only when asked for, with its declared size checked first and the bytes
 * counted as they inflate (yauzl also fails a part that inflates beyond what it declared). A
 * zip bomb stops at the entry count or at the inflated-size budget, whichever it reaches first.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { limits } from './limits.ts';
import { DocumentRefused, unreadable } from './refused.ts';

export interface ZipEntryFacts {
  name: string;
  size: number;
  compressedSize: number;
  /** CRC-32 of the content as the zip records it, 8 hex digits. */
  crc32: string;
  encrypted: boolean;
}

export interface ZipBudget {
  /** Bytes the parts read so far have inflated to. */
  inflated: number;
}

/**
 * Reads ranges of a descriptor someone else owns: yauzl's own descriptor reader closes it when
 * the zip is closed, and this one never does (the request thread closes it, after the worker).
 */
class BorrowedFdReader extends yauzl.RandomAccessReader {
  constructor(private readonly fd: number) {
    super();
  }

  // Not fs.createReadStream: destroying one closes its descriptor, whatever autoClose says.
  override _readStreamForRange(start: number, end: number): Readable {
    const fd = this.fd;
    let position = start;
    return new Readable({
      highWaterMark: 64 * 1024,
      read(size) {
        const length = Math.min(size, end - position);
        if (length <= 0) {
          this.push(null);
          return;
        }
        const buffer = Buffer.allocUnsafe(length);
        fs.read(fd, buffer, 0, length, position, (error, bytesRead) => {
          if (error) return this.destroy(error);
          if (bytesRead === 0) return this.push(null);
          position += bytesRead;
          this.push(bytesRead < length ? buffer.subarray(0, bytesRead) : buffer);
        });
      },
    });
  }
}

function openFd(fd: number): Promise<ZipFile> {
  const size = fs.fstatSync(fd).size;
  return new Promise((resolve, reject) =>
    yauzl.fromRandomAccessReader(
      new BorrowedFdReader(fd),
      size,
      { autoClose: false, lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true },
      (error, zip) => (error ? reject(error) : resolve(zip)),
    ),
  );
}

export class BoundedZip {
  private constructor(
    private readonly zip: ZipFile,
    private readonly byName: Map<string, Entry>,
    readonly entries: ZipEntryFacts[],
    /** The zip has more entries than were listed. */
    readonly truncated: boolean,
    readonly entryCount: number,
  ) {}

  /** Lists up to `limits.zipEntries` entries; `strict`: more than that is refused (documents), else the list is cut (archives). */
  static async open(fd: number, options: { strict: boolean }): Promise<BoundedZip> {
    let zip: ZipFile;
    try {
      zip = await openFd(fd);
    } catch (error) {
      throw unreadable(error, 'zip');
    }
    if (options.strict && zip.entryCount > limits.zipEntries) {
      zip.close();
      throw new DocumentRefused('too-large', `the file holds ${zip.entryCount} parts; documents of up to ${limits.zipEntries} are read`);
    }
    const byName = new Map<string, Entry>();
    const entries: ZipEntryFacts[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('error', reject);
        zip.on('end', () => resolve());
        zip.on('entry', (entry: Entry) => {
          if (!entry.fileName.endsWith('/')) {
            byName.set(entry.fileName, entry);
            entries.push({
              name: entry.fileName,
              size: entry.uncompressedSize,
              compressedSize: entry.compressedSize,
              crc32: (entry.crc32 >>> 0).toString(16).padStart(8, '0'),
              encrypted: entry.isEncrypted(),
            });
          }
          if (entries.length >= limits.zipEntries) resolve();
          else zip.readEntry();
        });
        zip.readEntry();
      });
    } catch (error) {
      zip.close();
      throw unreadable(error, 'zip');
    }
    return new BoundedZip(zip, byName, entries, zip.entryCount > entries.length, zip.entryCount);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** One part inflated, or null when there is none; refused beyond the part and budget limits. */
  async read(name: string, budget: ZipBudget): Promise<Buffer | null> {
    const entry = this.byName.get(name);
    if (!entry) return null;
    if (entry.isEncrypted()) throw new DocumentRefused('unsupported', `${name} is encrypted`);
    if (entry.uncompressedSize > limits.partBytes) {
      throw new DocumentRefused('too-large', `${name} inflates to ${entry.uncompressedSize} bytes; parts of up to ${limits.partBytes} are read`);
    }
    if (budget.inflated + entry.uncompressedSize > limits.inflatedBytes) {
      throw new DocumentRefused('too-large', `the parts inflate to more than ${limits.inflatedBytes} bytes`);
    }
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      this.zip.openReadStream(entry, (error, readable) => (error ? reject(unreadable(error, name)) : resolve(readable))),
    );
    const chunks: Buffer[] = [];
    let length = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        length += chunk.length;
        // yauzl stops a part that inflates beyond its declared size; this is the budget for all of them.
        if (length > limits.partBytes || budget.inflated + length > limits.inflatedBytes) {
          (stream as unknown as { destroy(): void }).destroy();
          throw new DocumentRefused('too-large', `${name} inflates beyond the ${limits.partBytes}-byte limit`);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      throw unreadable(error, name);
    }
    budget.inflated += length;
    return Buffer.concat(chunks, length);
  }

  close(): void {
    this.zip.close();
  }
}
