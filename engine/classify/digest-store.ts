/**
 * Digests of file content kept in the catalog (ContentDigest) by precomputeDigests, and the rule
 * for using one: the catalog row still describes the file on disk, and the file is still what it
 * was when it was read (device, inode, size, mtime, ctime).
 */
import fs from 'node:fs';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/index.ts';
import type { DigestKind } from '../hash/index.ts';

export type ReadKind = 'full' | DigestKind;

/** What the catalog row says of the file. */
interface CatalogIdentity {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
}

/** What a file is on disk: a digest holds while all of it still agrees. */
interface Identity extends CatalogIdentity {
  ctimeNs: bigint;
}

/** The kept digests, read through the catalog's connection (reads are allowed while classification streams). */
export class DigestStore {
  private readonly select: Statement;

  constructor(db: Db) {
    this.select = db.prepare('SELECT size, mtimeNs, ctimeNs, value FROM ContentDigest WHERE dev = ? AND ino = ? AND kind = ?').safeIntegers(true);
  }

  /** The kept digest, when the catalog row and the file on disk still match it; else undefined (read it now). */
  get(kind: ReadKind, row: CatalogIdentity, rawPath: Buffer): string | undefined {
    const kept = this.kept(kind, row);
    if (!kept) return undefined;
    const now = lstat(rawPath);
    return now && sameFile(row, now) && now.ctimeNs === kept.ctimeNs ? kept.value : undefined;
  }

  /** The digest kept for the file the catalog row describes (its size and mtime); its ctime is checked on use. */
  kept(kind: ReadKind, row: CatalogIdentity): { ctimeNs: bigint; value: string } | undefined {
    const kept = this.select.get(row.dev, row.ino, kind) as Omit<Identity, 'dev' | 'ino'> & { value: string } | undefined;
    return kept && kept.size === row.size && kept.mtimeNs === row.mtimeNs ? kept : undefined;
  }
}

/** The file's identity now; undefined when it cannot be had (gone, a folder above replaced, …): the read says why. */
function lstat(rawPath: Buffer): Identity | undefined {
  try {
    return fs.lstatSync(rawPath, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** The catalog row describes the file as it is now. */
function sameFile(row: CatalogIdentity, now: Identity): boolean {
  return row.size === now.size && row.mtimeNs === now.mtimeNs && row.dev === now.dev && row.ino === now.ino;
}
