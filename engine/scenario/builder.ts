/**
 * The scenario under construction: writes space files with fixed mtimes, records origin-inventory
 * entries and the expected findings, and refuses unplanned duplicates or name twins so "no clean
 * file is flagged" stays true by construction.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import xxhash from 'xxhash-addon';
import type { ExpectedFindingInput, ExpectedRecovery, FindingKind, OriginRef } from './expected.ts';
import { QuickXorHash } from '../hash/index.ts';
import type { Random } from './random.ts';
import { originPath, type ScenarioSource } from './layout.ts';

/** How a complete engine accounts for an origin entry (conflicting and corrupt versions count as present). */
export type OriginState = 'present' | 'missing' | 'placeholder' | 'partial';

export interface OriginEntry {
  rel: string;
  type: 'file' | 'symlink';
  state: OriginState;
  size: number;
  mtimeSec: number;
  /** Hashes of the origin content; absent where the origin host could not read it (dataless files). */
  xxh128?: string;
  sha1?: string;
  quickxor?: string;
}

/** A per-file line the transfer logs must carry (the logs module renders it in each tool's format). */
export interface LogEvent {
  source: string;
  rel: string;
  event: 'edeadlk-open' | 'edeadlk-read' | 'vanished' | 'eperm' | 'access-denied' | 'in-use' | 'semaphore-timeout' | 'cloud-failed' | 'retried';
}

/**
 * Where the builder's tree goes. The real filesystem for `reconcile demo`; a disk that keeps
 * nothing lets a test plant hundreds of rounds (and check every content and name) in memory.
 */
export interface ScenarioDisk {
  mkdir(dir: string): void;
  writeFile(file: string, content: Buffer, mtimeSec: number): void;
  symlink(target: string, file: string, mtimeSec: number): void;
  setTime(target: string, mtimeSec: number): void;
  /** Mode 000: nobody but root may enter. */
  close(dir: string): void;
}

export const realDisk: ScenarioDisk = {
  mkdir: (dir) => fs.mkdirSync(dir, { mode: 0o755 }),
  writeFile(file, content, mtimeSec) {
    fs.writeFileSync(file, content, { mode: 0o644 });
    fs.utimesSync(file, mtimeSec, mtimeSec);
  },
  symlink(target, file, mtimeSec) {
    fs.symlinkSync(target, file);
    fs.lutimesSync(file, mtimeSec, mtimeSec);
  },
  setTime: (target, mtimeSec) => fs.utimesSync(target, mtimeSec, mtimeSec),
  close: (dir) => fs.chmodSync(dir, 0o000),
};

export interface WriteOptions {
  /** This content is meant to exist elsewhere too (a planted duplicate or the same file twice). */
  duplicate?: boolean;
  /** This name is meant to collide with a sibling after NFC or case folding. */
  nameTwin?: boolean;
}

/** When the transfers ran: 2026-10-02 14:00 UTC. Origin files are older. */
export const transferTime = Date.UTC(2026, 9, 2, 14, 0, 0) / 1000;

/**
 * Planting functions run once per unit of scale; `round` is '' the first time and 'roundN/' (a
 * sub-folder that keeps repeats apart) after that. Labels name the finding and its round.
 */
export function findingLabel(kind: FindingKind, round: string): (name: string) => string {
  const tag = round.replace('/', '');
  return (name) => `${kind}:${name}${tag ? `:${tag}` : ''}`;
}

export class ScenarioBuilder {
  readonly spaceDir: string;
  /** The origin hosts' trees on local disk (`origins/<source id>/`), what the recovery loop fetches from. */
  readonly originsDir: string;
  /** The origin entries a complete engine lists to fetch (`reconcile recover`), with why. */
  readonly recovery: ExpectedRecovery[] = [];
  readonly origins = new Map<string, Map<string, OriginEntry>>();
  readonly findings: ExpectedFindingInput[] = [];
  readonly clean: string[] = [];
  readonly missing: OriginRef[] = [];
  readonly unreadable: string[] = [];
  readonly logEvents: LogEvent[] = [];
  files = 0;
  bytes = 0;
  private readonly contentOwners = new Map<string, string>();
  private readonly labels = new Set<string>();
  private readonly folderKeys = new Map<string, string>();
  private readonly dirs = new Set<string>();
  private readonly originDirs = new Set<string>();

  constructor(
    readonly dir: string,
    readonly random: Random,
    private readonly disk: ScenarioDisk = realDisk,
  ) {
    this.spaceDir = path.join(dir, 'space');
    this.originsDir = path.join(dir, 'origins');
  }

  /** An origin-file time between 2019 and the transfers, whole seconds so every format holds it exactly. */
  originTime(): number {
    return transferTime - this.random.int(3 * 86400, 6 * 365 * 86400);
  }

  /** Writes a file into the space with a fixed mtime. */
  write(spacePath: string, content: Buffer, mtimeSec: number, options: WriteOptions = {}): void {
    this.checkName(spacePath, options);
    if (content.length > 0 && !options.duplicate) {
      const key = xxh128(content);
      const owner = this.contentOwners.get(key);
      if (owner) throw new Error(`scenario bug: ${spacePath} repeats the content of ${owner}`);
      this.contentOwners.set(key, spacePath);
    }
    this.mkdir(path.posix.dirname(spacePath));
    this.disk.writeFile(path.join(this.spaceDir, spacePath), content, mtimeSec);
    this.files += 1;
    this.bytes += content.length;
  }

  /**
   * Draws until `make` returns content no file written so far has — for contents with few possible
   * values, like an iCloud stub (a name and a size): repeats would be unplanned duplicates.
   */
  distinct<T>(make: () => { content: Buffer; value: T }): { content: Buffer; value: T } {
    for (let attempt = 0; attempt < 1000; attempt += 1) {
      const made = make();
      if (!this.contentOwners.has(xxh128(made.content))) return made;
    }
    throw new Error('scenario bug: no distinct content in 1000 draws');
  }

  /**
   * Records an origin-inventory entry for `source` with the hashes of `content`, and writes the file
   * into the source's origin tree: there it is whole (a dataless file made local, the version a
   * later copy overwrote), as a fetch from the origin host finds it.
   */
  origin(source: ScenarioSource, rel: string, content: Buffer, mtimeSec: number, options: { dataless?: boolean; state?: OriginState } = {}): void {
    this.writeOrigin(source, rel, (file) => this.disk.writeFile(file, content, mtimeSec));
    const entries = this.inventory(source);
    const cloud = source.manifest?.format === 'rclone-lsjson';
    entries.set(rel, {
      rel,
      type: 'file',
      state: options.state ?? (options.dataless ? 'placeholder' : 'present'),
      size: content.length,
      mtimeSec,
      ...(options.dataless
        ? {}
        : cloud
          ? { sha1: crypto.createHash('sha1').update(content).digest('hex'), quickxor: new QuickXorHash().update(content).digest().toString('hex') }
          : { xxh128: xxh128(content) }),
    });
  }

  /** A symlink that arrived as a symlink (rsync -l): in the space and in the inventory, never followed. */
  symlinkArrived(source: ScenarioSource, rel: string, target: string, mtimeSec: number): string {
    const spacePath = `${source.landing}/${rel}`;
    this.checkName(spacePath, {});
    this.mkdir(path.posix.dirname(spacePath));
    this.disk.symlink(target, path.join(this.spaceDir, spacePath), mtimeSec);
    this.writeOrigin(source, rel, (link) => this.disk.symlink(target, link, mtimeSec));
    this.inventory(source).set(rel, { rel, type: 'symlink', state: 'present', size: Buffer.byteLength(target), mtimeSec });
    return spacePath;
  }

  /** A file that arrived intact: in the space at its landing and in the source's inventory. */
  arrived(source: ScenarioSource, rel: string, content: Buffer, mtimeSec: number, options: WriteOptions = {}): string {
    const spacePath = `${source.landing}/${rel}`;
    this.write(spacePath, content, mtimeSec, options);
    if (source.manifest) this.origin(source, rel, content, mtimeSec);
    return spacePath;
  }

  /** True when no file or folder in the space takes this path, even after NFC/case folding. */
  isFree(spacePath: string): boolean {
    return !this.folderKeys.has(spacePath.normalize('NFC').toLowerCase());
  }

  /** An origin entry the space lacks after the transfers: `reconcile recover` must list it for `source`. */
  outstanding(source: ScenarioSource, rel: string, reason: ExpectedRecovery['reason']): void {
    this.recovery.push({ source: source.id, path: rel, reason });
  }

  logEvent(source: ScenarioSource, rel: string, event: LogEvent['event']): void {
    this.logEvents.push({ source: source.id, rel, event });
  }

  /** A space file at the source's landing that its inventory does not hold as such (temp files, damage). */
  writeLanded(source: ScenarioSource, rel: string, content: Buffer, mtimeSec: number, options: WriteOptions = {}): string {
    const spacePath = `${source.landing}/${rel}`;
    this.write(spacePath, content, mtimeSec, options);
    return spacePath;
  }

  writeEmpty(source: ScenarioSource, rel: string, mtimeSec: number): string {
    return this.writeLanded(source, rel, Buffer.alloc(0), mtimeSec);
  }

  finding(finding: ExpectedFindingInput): void {
    if (this.labels.has(finding.label)) throw new Error(`scenario bug: finding label ${finding.label} used twice`);
    this.labels.add(finding.label);
    this.findings.push(finding);
  }

  originRef(source: ScenarioSource, rel: string): OriginRef {
    return { source: source.id, path: originPath(source, rel) };
  }

  /** Makes a folder unreadable (mode 000) at the end, once everything inside is written. */
  markUnreadable(spacePath: string): void {
    this.unreadable.push(spacePath);
  }

  /** Fixes every folder's mtime (deepest first), then closes the unreadable folders. */
  finish(mtimeSec: number): void {
    const deepestFirst = (a: string, b: string) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1);
    for (const dir of [...this.dirs].sort(deepestFirst)) this.disk.setTime(path.join(this.spaceDir, dir), mtimeSec);
    for (const dir of [...this.originDirs].sort(deepestFirst)) this.disk.setTime(path.join(this.originsDir, dir), mtimeSec);
    if (this.originDirs.size > 0) this.disk.setTime(this.originsDir, mtimeSec);
    for (const dir of this.unreadable) this.disk.close(path.join(this.spaceDir, dir));
  }

  private writeOrigin(source: ScenarioSource, rel: string, write: (file: string) => void): void {
    this.originMkdir(path.posix.dirname(`${source.id}/${rel}`));
    write(path.join(this.originsDir, source.id, rel));
  }

  private originMkdir(originDir: string): void {
    if (this.originDirs.has(originDir)) return;
    if (originDir === '.') {
      if (this.originDirs.size === 0) this.disk.mkdir(this.originsDir);
      return;
    }
    this.originMkdir(path.posix.dirname(originDir));
    this.disk.mkdir(path.join(this.originsDir, originDir));
    this.originDirs.add(originDir);
  }


  private inventory(source: ScenarioSource): Map<string, OriginEntry> {
    let entries = this.origins.get(source.id);
    if (!entries) this.origins.set(source.id, (entries = new Map()));
    return entries;
  }

  private mkdir(spaceDir: string): void {
    if (spaceDir === '.' || this.dirs.has(spaceDir)) return;
    this.mkdir(path.posix.dirname(spaceDir));
    this.checkName(spaceDir, {});
    this.disk.mkdir(path.join(this.spaceDir, spaceDir));
    this.dirs.add(spaceDir);
  }

  private checkName(spacePath: string, options: WriteOptions): void {
    const key = spacePath.normalize('NFC').toLowerCase();
    const owner = this.folderKeys.get(key);
    if (owner !== undefined && !options.nameTwin) {
      throw new Error(`scenario bug: ${spacePath} collides with ${owner} after NFC/case folding`);
    }
    if (owner === undefined) this.folderKeys.set(key, spacePath);
  }
}

export function xxh128(content: Buffer): string {
  return xxhash.XXHash128.hash(content).toString('hex');
}
