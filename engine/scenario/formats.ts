/**
 * Real file formats the scenario plants, so the engine and the UI meet the bytes they will meet on
 * the server: PNG images (for picture diffs), iCloud `.icloud` stubs (binary plists), AppleDouble
 * `._` files and a Windows Zone.Identifier stream.
 */
import zlib from 'node:zlib';
import bplistCreator from 'bplist-creator';

export type Rgb = readonly [number, number, number];

/** A truecolour PNG drawn by `pixel(x, y)`, with an optional tEXt comment (image editors write one). */
export function png(width: number, height: number, pixel: (x: number, y: number) => Rgb, comment?: string): Buffer {
  const rowLength = 1 + width * 3;
  const raw = Buffer.alloc(rowLength * height);
  for (let y = 0; y < height; y += 1) {
    raw[y * rowLength] = 0; // filter: none
    for (let x = 0; x < width; x += 1) {
      const [r, g, b] = pixel(x, y);
      raw.set([r, g, b], y * rowLength + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit depth, truecolour, deflate, adaptive filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    ...(comment === undefined ? [] : [pngChunk('tEXt', Buffer.from(`Comment\0${comment}`, 'latin1'))]),
    pngChunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A logo-like badge: a disc on a background, so two versions differ visibly, not just in bytes. */
export function badgePng(size: number, background: Rgb, disc: Rgb, discRadius: number, comment: string): Buffer {
  const centre = (size - 1) / 2;
  return png(size, size, (x, y) => (Math.hypot(x - centre, y - centre) <= discRadius ? disc : background), comment);
}

/**
 * What macOS leaves for a file that lives only in iCloud: `.Name.ext.icloud`, a binary plist naming
 * the real file and its size.
 */
export function icloudStub(name: string, size: number): Buffer {
  return bplistCreator({
    NSURLFileResourceTypeKey: 'NSURLFileResourceTypeRegular',
    NSURLFileSizeKey: size,
    NSURLNameKey: name,
  });
}

/** An AppleDouble `._name` file: resource fork and Finder info that rsync/SMB wrote next to the file. */
export function appleDouble(): Buffer {
  const buffer = Buffer.alloc(4096);
  buffer.writeUInt32BE(0x00051607, 0); // AppleDouble magic
  buffer.writeUInt32BE(0x00020000, 4); // version 2
  buffer.write('Mac OS X        ', 8, 'ascii');
  buffer.writeUInt16BE(2, 24); // two entries
  buffer.writeUInt32BE(9, 26); // Finder info
  buffer.writeUInt32BE(50, 30);
  buffer.writeUInt32BE(3698, 34);
  buffer.writeUInt32BE(2, 38); // resource fork
  buffer.writeUInt32BE(3748, 42);
  buffer.writeUInt32BE(286, 46);
  return buffer;
}

/** The alternate data stream a browser attaches to downloads, as a copy through WSL/Samba leaves it. */
export function zoneIdentifier(url: string): Buffer {
  return Buffer.from(`[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=${url}\r\nHostUrl=${url}\r\n`, 'utf8');
}
