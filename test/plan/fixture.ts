/**
 * A small real space on disk for the findings/plan tests: files written with chosen mtimes, a
 * config file, a real scan into a real database, and origin inventories inserted as rows (the
 * inventory importer has its own tests; here only what the classifiers read matters).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import xxhash from 'xxhash-addon';
import YAML from 'yaml';
import { loadConfig, loadEnv, type Config } from '../../engine/config/index.ts';
import type { Db } from '../../engine/db/index.ts';
import { configuredSources, scan } from '../../engine/scan/index.ts';
import { tempDatabase, tempDir } from '../helpers.ts';

export interface OriginFixtureEntry {
  relPath: string;
  size: number;
  mtimeNs?: bigint;
  xxh128?: string;
  sha1?: string;
}

export class SpaceFixture {
  readonly dir = tempDir('reconcile-plan-fixture-');
  readonly space = path.join(this.dir, 'space');
  readonly db: Db;
  readonly dataDir: string;
  config!: Config;

  constructor() {
    fs.mkdirSync(this.space);
    const database = tempDatabase();
    this.db = database.db;
    this.dataDir = database.dataDir;
  }

  /** Writes a file under the space; `mtime` in seconds since the epoch. */
  write(rel: string | Buffer, content: string | Buffer, mtime = 1_767_000_000): string {
    const file = Buffer.isBuffer(rel) ? Buffer.concat([Buffer.from(`${this.space}/`), rel]) : path.join(this.space, rel);
    fs.mkdirSync(path.dirname(file.toString()), { recursive: true });
    fs.writeFileSync(file, content);
    fs.utimesSync(file, mtime, mtime);
    return file.toString();
  }

  configure(file: Record<string, unknown>): Config {
    const configFile = path.join(this.dir, 'reconcile.yaml');
    fs.writeFileSync(configFile, YAML.stringify({ space: 'space', ...file }));
    this.config = loadConfig({ file: configFile, env: { ...loadEnv(), RECONCILE_DATA_DIR: this.dataDir } });
    for (const source of this.config.sources) fs.mkdirSync(source.root, { recursive: true });
    return this.config;
  }

  async scan(): Promise<void> {
    await scan(this.db, { sources: configuredSources(this.config), xattrs: false, hashWorkers: 1 });
  }

  /** An origin inventory for a source, as an import would leave it. */
  origin(sourceId: string, entries: OriginFixtureEntry[], origin = `/Users/miket/${sourceId}`): void {
    const inventoryId = this.db
      .prepare("INSERT INTO Inventory (sourceId, format, file, fileHash, origin, entryCount, importedAt) VALUES (?, 'reconcile-manifest', ?, ?, ?, ?, ?)")
      .run(sourceId, `${sourceId}.jsonl.gz`, `hash-${sourceId}-${Date.now()}-${Math.random()}`, origin, entries.length, new Date().toISOString()).lastInsertRowid;
    const insert = this.db.prepare(
      `INSERT INTO OriginEntry (inventoryId, sourceId, relPath, originPath, nfcKey, foldKey, isDir, size, mtimeNs, xxh128, sha1)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
    );
    for (const entry of entries) {
      const nfc = entry.relPath.normalize('NFC');
      insert.run(inventoryId, sourceId, entry.relPath, `${origin}/${entry.relPath}`, nfc, nfc.toLowerCase().normalize('NFC'), entry.size, entry.mtimeNs ?? null, entry.xxh128 ?? null, entry.sha1 ?? null);
    }
  }
}

/**
 * One folder sent twice into the same landing (the Mac's rsync and OneDrive's rclone into
 * mike/_MAIN_FILES) and once more by the PC's robocopy into the inbox, mapped onto mike.
 */
export const sharedLanding = {
  sources: [
    { id: 'mac', kind: 'rsync', class: 'local', landing: 'mike/_MAIN_FILES', origin: '/Users/miket/OneDrive/_MAIN_FILES' },
    { id: 'm365', kind: 'rclone', class: 'cloud', landing: 'mike/_MAIN_FILES', origin: 'm365:_MAIN_FILES', remote: 'm365:' },
    { id: 'wintermute', kind: 'robocopy', class: 'local', host: 'wintermute', landing: 'inbox/wintermute-mdt_', origin: 'C:\\Users\\mike\\MDT\\' },
  ],
  layout: { canonical: 'mike', inbox: 'inbox', mappings: [{ from: 'inbox/wintermute-mdt_', to: 'mike' }] },
};

/**
 * The inventories of sharedLanding after both transfers of `relPath` ran: the Mac's lists the
 * version it sent (xxh128, at `mtimeNs`); OneDrive's another one, a day older, by SHA-1 as rclone does.
 */
export function twoVersionsInventoried(fixture: SpaceFixture, relPath: string, versions: { mac: string; m365: string }, mtimeNs: bigint): void {
  fixture.origin('mac', [{ relPath, size: versions.mac.length, mtimeNs, xxh128: xxhash.XXHash128.hash(Buffer.from(versions.mac)).toString('hex') }]);
  fixture.origin('m365', [{ relPath, size: versions.m365.length, mtimeNs: mtimeNs - 86_400_000_000_000n, sha1: crypto.createHash('sha1').update(versions.m365).digest('hex') }], 'm365:_MAIN_FILES');
}

export const twoSources = {
  sources: [
    { id: 'motoko', kind: 'manual', class: 'local', landing: 'mike', systemOfRecord: true },
    { id: 'wintermute', kind: 'robocopy', class: 'local', host: 'wintermute', landing: 'inbox/wm' },
  ],
};

/** Two sources: a logo copied three times, and a document whose two copies differ. */
export async function duplicateSpace(): Promise<SpaceFixture> {
  const fixture = new SpaceFixture();
  fixture.configure(twoSources);
  fixture.write('mike/brand/logo.png', 'logo bytes');
  fixture.write('inbox/wm/brand/logo.png', 'logo bytes');
  fixture.write('inbox/wm/old/logo.png', 'logo bytes');
  fixture.write('mike/docs/plan.txt', 'version one', 1_767_000_000);
  fixture.write('inbox/wm/docs/plan.txt', 'version two!', 1_767_100_000);
  await fixture.scan();
  return fixture;
}
