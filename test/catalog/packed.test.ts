/** Walked entries packed for the trip between threads come back field for field. */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { EntryPacker, unpackEntries, type PackedEntries } from '../../engine/scan/packed.ts';
import type { WalkedEntry } from '../../engine/scan/walk.ts';

const stat = (overrides: Partial<WalkedEntry['stat']> = {}): WalkedEntry['stat'] => ({
  size: 5n, mtimeNs: 1_733_333_333_123_456_789n, ctimeNs: 1_733_333_334_000_000_001n, birthtimeNs: 0n,
  mode: 0o100644n, uid: 1000n, gid: 100n, dev: 64769n, ino: 12n, nlink: 1n, ...overrides,
});

describe('packed walk batches', () => {
  it('carry every field across a real message port, also extreme values and the rarer fields', () => {
    const root = Buffer.from('/space/');
    const entries: WalkedEntry[] = [
      { relPath: Buffer.from('a/plain.txt'), absPath: Buffer.from('/space/a/plain.txt'), type: 'file', stat: stat() },
      // Before 1970, an inode number using all 64 bits, a name that is not UTF-8.
      { relPath: Buffer.from([0x61, 0x2f, 0xff, 0xfe]), absPath: Buffer.alloc(0), type: 'file', stat: stat({ mtimeNs: -86_400_000_000_123n, ino: 2n ** 64n - 1n, nlink: 3n }),
        xattrs: ['user.DosStream.Zone.Identifier:$DATA'], errorCode: 'EACCES', errorMessage: 'cannot read file: permission denied' },
      { relPath: Buffer.from('a/link'), absPath: Buffer.alloc(0), type: 'symlink', stat: stat({ size: 0n }), linkTarget: Buffer.from('../b'), skipReason: 'symlink-outside-space' },
      { relPath: Buffer.from('a'), absPath: Buffer.alloc(0), type: 'dir', stat: stat(), xattrs: null },
      { relPath: Buffer.from('fifo'), absPath: Buffer.alloc(0), type: 'other', stat: stat(), skipReason: 'fifo', content: { full: '99aa06d3014798d86001c324468d497f', bytesRead: 0 } },
    ];
    const packer = new EntryPacker();
    for (const entry of entries) packer.add(entry);
    expect(packer.count).toBe(5);
    const { packed, transfer } = packer.take();
    expect(packer.count).toBe(0);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(packed, transfer);
    const received = receiveMessageOnPort(port2)!.message as PackedEntries;
    port1.close();
    const unpacked = unpackEntries(received, root);
    expect(unpacked).toEqual(entries.map((entry) => ({ ...entry, absPath: Buffer.concat([root, entry.relPath]) })));
    expect(Buffer.isBuffer(unpacked[2]!.linkTarget)).toBe(true);
    expect(Buffer.isBuffer(unpacked[1]!.relPath)).toBe(true);
  });
});
