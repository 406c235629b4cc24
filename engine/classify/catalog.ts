/**
 * The classifiers' view of the catalog: sources with their roots, current entries streamed from
 * SQLite (never the whole catalog in memory), and entries turned into FileRefs with layout roles.
 * Landings may overlap (two transfers into one folder, a landing inside another): the same
 * physical file can then be an entry of several sources, so files are keyed by raw absolute path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import type { Statement } from 'better-sqlite3';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { ContentHasher, type DigestKind } from '../hash/index.ts';
import { DigestStore } from './digest-store.ts';
import { duplicatesIntended, roleOf } from './layout.ts';
import type { FileRef } from './types.ts';

export interface SourceInfo {
  id: string;
  root: string;
  rootBytes: Buffer;
  /** The root relative to the space, or null when outside it. */
  spaceRoot: string | null;
  kind: string;
  class: string;
  host?: string;
  origin?: string;
  remote?: string;
  landing: string;
  systemOfRecord: boolean;
  /** For a recovery root: the source whose fetched files it holds. */
  recoveryOf?: string;
  /** Sources whose root contains this one: the same file is reachable as `<prefix><relPath>` there. */
  aliases: { sourceId: string; prefix: string }[];
}

export interface EntryRow {
  id: bigint;
  sourceId: string;
  relPath: Buffer;
  path: string;
  parent: string;
  name: string;
  nfcKey: string;
  foldKey: string;
  type: string;
  size: bigint;
  mtimeNs: bigint;
  fullHash: string | null;
  dev: bigint;
  ino: bigint;
  errorCode: string | null;
  errorMessage: string | null;
  skipReason: string | null;
}

export const entryColumns =
  'e.id, e.sourceId, e.relPath, e.path, e.parent, e.name, e.nfcKey, e.foldKey, e.type, e.size, e.mtimeNs, ' +
  'e.fullHash, e.dev, e.ino, e.errorCode, e.errorMessage, e.skipReason';

export class CatalogView {
  readonly sources = new Map<string, SourceInfo>();
  private readonly hashes = new Map<string, string | null>();
  private readonly readErrors = new Map<string, string>();
  private readonly readDigests = new Map<string, string | null>();
  private readonly kept = new Map<string, { id: bigint; size: bigint; mtimeNs: bigint; hash: string }>();
  /** AppleDouble `._X` rows by their data file's key: X's FileRef carries its fork along. */
  private readonly appleDoubles = new Map<string, EntryRow>();
  private hasher: ContentHasher | undefined;
  private readonly statements = new Map<string, Statement>();
  private readonly byPath;

  /** Digests kept by precomputeDigests (read ahead on the hash workers); hash() reads only what they lack. */
  private readonly digests: DigestStore;

  constructor(
    readonly db: Db,
    readonly config: Config,
  ) {
    this.digests = new DigestStore(db);
    const rows = db.prepare('SELECT id, kind, class, host, origin, landing, root, recoveryOf FROM Source ORDER BY id').all() as {
      id: string;
      kind: string;
      class: string;
      host: string | null;
      origin: string | null;
      landing: string;
      root: string;
      recoveryOf: string | null;
    }[];
    const configured = new Map(config.sources.map((source) => [source.id, source]));
    for (const row of rows) {
      const fromConfig = configured.get(row.id);
      const root = row.root.replace(/\/+$/, '') || '/';
      const relative = path.relative(config.space, root);
      this.sources.set(row.id, {
        id: row.id,
        root,
        rootBytes: Buffer.from(root),
        spaceRoot: relative.startsWith('..') || path.isAbsolute(relative) ? null : relative,
        kind: fromConfig?.kind ?? row.kind,
        class: fromConfig?.class ?? row.class,
        host: fromConfig?.host ?? row.host ?? undefined,
        origin: fromConfig?.origin ?? row.origin ?? undefined,
        remote: fromConfig?.remote,
        landing: fromConfig?.landing ?? row.landing,
        systemOfRecord: fromConfig?.systemOfRecord ?? false,
        ...(row.recoveryOf ? { recoveryOf: row.recoveryOf } : {}),
        aliases: [],
      });
    }
    for (const source of this.sources.values()) {
      for (const other of this.sources.values()) {
        if (other.id === source.id || source.recoveryOf || other.recoveryOf) continue;
        if (source.root === other.root) source.aliases.push({ sourceId: other.id, prefix: '' });
        else if (source.root.startsWith(`${other.root}/`)) {
          source.aliases.push({ sourceId: other.id, prefix: `${source.root.slice(other.root.length + 1)}/` });
        }
      }
    }
    this.byPath = db
      .prepare(`SELECT ${entryColumns} FROM Entry e WHERE e.sourceId = ? AND e.relPath = ? AND e.removedScanId IS NULL`)
      .safeIntegers(true);
  }

  /** A prepared statement, compiled once per run (lookups run once per entry on big catalogs). */
  prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Host names the sources mention (OneDrive names conflict copies after them). */
  hosts(): string[] {
    return [...new Set([...this.sources.values()].flatMap((source) => (source.host ? [source.host] : [])))].sort();
  }

  /** Recovery roots: files fetched from an origin, waiting to be matched and placed. */
  recoverySources(): SourceInfo[] {
    return [...this.sources.values()].filter((source) => source.recoveryOf !== undefined);
  }

  source(id: string): SourceInfo {
    const source = this.sources.get(id);
    if (!source) throw new Error(`entry of unknown source ${id}`);
    return source;
  }

  /** Every current entry, streamed in a stable order. */
  *entries(where = '1 = 1', ...params: unknown[]): Generator<EntryRow> {
    const statement = this.db
      .prepare(`SELECT ${entryColumns} FROM Entry e WHERE e.removedScanId IS NULL AND (${where}) ORDER BY e.sourceId, e.relPath`)
      .safeIntegers(true);
    yield* statement.iterate(...params) as IterableIterator<EntryRow>;
  }

  /** Current entries by row id (a group's members), in the same stable order as entries(). */
  rowsById(ids: readonly (number | bigint)[]): EntryRow[] {
    const statement = this.prepared(
      `SELECT ${entryColumns} FROM Entry e WHERE e.removedScanId IS NULL AND e.id IN (${ids.map(() => '?').join(',')}) ORDER BY e.sourceId, e.relPath`,
    ).safeIntegers(true);
    return statement.all(...ids) as EntryRow[];
  }

  rawPath(row: Pick<EntryRow, 'sourceId' | 'relPath'>): Buffer {
    const source = this.source(row.sourceId);
    return row.relPath.length === 0 ? source.rootBytes : Buffer.concat([source.rootBytes, Buffer.from('/'), row.relPath]);
  }

  absolutePath(row: EntryRow): string {
    const source = this.source(row.sourceId);
    return row.path === '' ? source.root : `${source.root}/${row.path}`;
  }

  /** Identity of the physical file: its raw absolute path. */
  key(row: Pick<EntryRow, 'sourceId' | 'relPath'>): string {
    return this.rawPath(row).toString('latin1');
  }

  spacePath(row: EntryRow): string | null {
    const source = this.source(row.sourceId);
    if (source.spaceRoot === null) return null;
    return [source.spaceRoot, row.path].filter((part) => part !== '').join('/');
  }

  /** The entry at a source-relative path in that source or any source whose landing contains it. */
  lookup(sourceId: string, relPath: string): EntryRow | undefined {
    const own = this.byPath.get(sourceId, Buffer.from(relPath)) as EntryRow | undefined;
    if (own) return own;
    for (const alias of this.source(sourceId).aliases) {
      const found = this.byPath.get(alias.sourceId, Buffer.from(alias.prefix + relPath)) as EntryRow | undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** The entry at a space-relative path, whichever source's landing holds it. */
  lookupSpacePath(spacePath: string): EntryRow | undefined {
    for (const { source, rel } of this.holders(spacePath)) {
      const found = this.byPath.get(source.id, Buffer.from(rel)) as EntryRow | undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** An entry whose path equals this one after NFC and case folding (the catalog's foldKey). */
  lookupFoldedSpacePath(spacePath: string): EntryRow | undefined {
    // `+e.relPath`: ordering by the bare column let SQLite walk the whole source in (sourceId, relPath)
    // order for each lookup instead of the few rows of the foldKey index (quadratic on big catalogs).
    const byFold = this.prepared(`SELECT ${entryColumns} FROM Entry e WHERE e.sourceId = ? AND e.foldKey = ? AND e.removedScanId IS NULL ORDER BY +e.relPath LIMIT 1`).safeIntegers(true);
    for (const { source, rel } of this.holders(spacePath)) {
      const found = byFold.get(source.id, rel.normalize('NFC').toLowerCase().normalize('NFC')) as EntryRow | undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** Sources whose landing holds a space path, innermost first, with the path relative to each. */
  private holders(spacePath: string): { source: SourceInfo; rel: string }[] {
    return [...this.sources.values()]
      .filter((source) => source.spaceRoot !== null && (source.spaceRoot === '' || spacePath === source.spaceRoot || spacePath.startsWith(`${source.spaceRoot}/`)))
      .sort((a, b) => b.spaceRoot!.length - a.spaceRoot!.length || (a.id < b.id ? -1 : 1))
      .map((source) => ({ source, rel: source.spaceRoot === '' ? spacePath : spacePath.slice(source.spaceRoot!.length + 1) }));
  }

  /**
   * Where apply runs moved the file a landing had at this absolute path (a staged file moved into
   * the layout, a loser into the archive), followed through later moves, if it is still there. No
   * scan walks those places, so an origin entry found nowhere else is looked for here.
   */
  movedFile(absPath: string): { path: string; size: bigint; hash: string | null } | undefined {
    const step = this.prepared(
      `SELECT toPath, expectSize, expectHash FROM Operation WHERE fromPath = ? AND op = 'move' AND status = 'done' ORDER BY finishedAt DESC, runId DESC LIMIT 1`,
    ).safeIntegers(true);
    let found: { toPath: string; expectSize: bigint | null; expectHash: string | null } | undefined;
    let at = absPath;
    for (let hops = 0; hops < 16; hops += 1) {
      const next = step.get(at) as typeof found;
      if (!next) break;
      found = next;
      at = next.toPath;
    }
    if (!found) return undefined;
    try {
      const stat = fs.lstatSync(at, { bigint: true });
      return stat.isFile() ? { path: at, size: stat.size, hash: stat.size === found.expectSize ? found.expectHash : null } : undefined;
    } catch {
      return undefined;
    }
  }

  /** A digest of a file no scan walks (where a run moved it), read now: once per path and kind in a run. */
  digestAt(absPath: string, kind: 'full' | DigestKind): string | null {
    const memo = `${kind}\0${absPath}`;
    if (this.readDigests.has(memo)) return this.readDigests.get(memo)!;
    let digest: string | null = null;
    try {
      const stat = fs.lstatSync(absPath, { bigint: true });
      this.hasher ??= new ContentHasher();
      const result = this.hasher.run({ id: 0, path: Buffer.from(absPath), kind, size: stat.size, dev: stat.dev, ino: stat.ino });
      digest = (kind === 'full' ? result.full : result.digest) ?? null;
    } catch {
      digest = null;
    }
    this.readDigests.set(memo, digest);
    return digest;
  }

  /** The catalog's full hash, or one computed now for the few files whose identity matters. */
  contentHash(row: EntryRow): string | null {
    if (row.fullHash) return row.fullHash;
    if (row.type !== 'file' || row.errorCode) return null;
    const key = this.key(row);
    if (!this.hashes.has(key)) this.hashes.set(key, this.hash(row, 'full'));
    return this.hashes.get(key) ?? null;
  }

  /**
   * Files whose identity matters later (conflict versions, files the plan moves into the layout)
   * get their full hash into the catalog,
   * where the review pages read it: remembered here, written by saveKeptHashes once the read
   * statements are done. A row that changed since (size or mtime) keeps none.
   */
  keepHash(row: EntryRow): void {
    const hash = row.fullHash ? null : this.contentHash(row);
    if (hash) this.kept.set(this.key(row), { id: row.id, size: row.size, mtimeNs: row.mtimeNs, hash });
  }

  saveKeptHashes(): void {
    if (this.kept.size === 0) return;
    const update = this.db.prepare(
      'UPDATE Entry SET fullHash = ? WHERE id = ? AND size = ? AND mtimeNs = ? AND fullHash IS NULL AND removedScanId IS NULL',
    );
    this.db.transaction(() => {
      for (const kept of this.kept.values()) update.run(kept.hash, kept.id, kept.size, kept.mtimeNs);
    })();
    this.kept.clear();
  }

  /** A hash of the file now (xxh128 or a cloud inventory's kind); null when it cannot be read (see readError). */
  hash(row: EntryRow, kind: 'full' | DigestKind): string | null {
    const path = this.rawPath(row);
    const ready = this.digests.get(kind, row, path);
    if (ready !== undefined) return ready;
    // One read per file and kind in a run: several passes may ask (a match, then whether the content is elsewhere).
    const memo = `${kind}\0${path.toString('latin1')}`;
    if (this.readDigests.has(memo)) return this.readDigests.get(memo)!;
    this.hasher ??= new ContentHasher();
    const result = this.hasher.run({ id: 0, path, kind, size: row.size, dev: row.dev, ino: row.ino });
    if (result.errorCode) this.readErrors.set(path.toString('latin1'), result.errorCode);
    const digest = (kind === 'full' ? result.full : result.digest) ?? null;
    this.readDigests.set(memo, digest);
    return digest;
  }

  /** Why the last read of this file in this run failed (EACCES, ECHANGED, …), if it did. */
  readError(row: EntryRow): string | undefined {
    return this.readErrors.get(this.key(row));
  }

  /** `fork` (an AppleDouble `._X`) belongs to `data` (X): every FileRef of X carries it. */
  attachAppleDouble(data: EntryRow, fork: EntryRow): void {
    this.appleDoubles.set(this.key(data), fork);
  }

  fileRef(row: EntryRow, options: { hash?: boolean } = {}): FileRef {
    const source = this.source(row.sourceId);
    const raw = this.rawPath(row);
    const spacePath = this.spacePath(row);
    const role = roleOf(spacePath, this.config.layout);
    const sameFolderSources = source.aliases.filter((alias) => alias.prefix === '').map((alias) => alias.sourceId);
    const fork = this.appleDoubles.get(this.key(row));
    return {
      path: this.absolutePath(row),
      ...(isUtf8(raw) ? {} : { pathB64: raw.toString('base64') }),
      spacePath,
      sources: [row.sourceId, ...sameFolderSources].sort(),
      type: row.type,
      size: Number(row.size),
      mtimeNs: row.mtimeNs.toString(),
      hash: options.hash ? this.contentHash(row) : row.fullHash,
      role,
      intended: duplicatesIntended(role),
      ...(fork ? { appleDouble: this.fileRef(fork, { hash: true }) } : {}),
    };
  }
}
