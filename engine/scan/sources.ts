/** Which folders a scan walks: the configured sources, or ad-hoc folders named on the command line. */
import fs from 'node:fs';
import path from 'node:path';
import xxhash from 'xxhash-addon';
import { UserError, type Config, type ResolvedSource } from '../config/index.ts';
import type { Db } from '../db/index.ts';

export interface ScanSource {
  id: string;
  host?: string;
  kind: ResolvedSource['kind'] | 'adhoc';
  class: ResolvedSource['class'];
  origin?: string;
  /** Relative to the space for configured sources; absolute for ad-hoc ones. */
  landing: string;
  /** Absolute folder that is walked. */
  root: string;
  /** Links resolving outside this folder are marked `symlink-outside-space`. */
  boundary: string;
  manifestPath?: string;
  logPaths: string[];
  /** Code page of transfer logs that have no byte-order mark and are not UTF-8. */
  logEncoding?: string;
  /** rclone remote of a cloud source (`m365:`). */
  remote?: string;
  /** Set on a recovery root: the configured source whose fetched files it holds. */
  recoveryOf?: string;
  /** A recovery root may not exist yet: the scan then skips it (or marks what it held as removed). */
  optional?: boolean;
  configJson: string;
}

/** The catalog id of a source's recovery root; `:` cannot occur in a configured id. */
export function recoverySourceId(sourceId: string): string {
  return `recovery:${sourceId}`;
}

/** Where a source's fetched files land: `<space>/<layout.recovery>/<id>`, origin-relative paths below. */
export function recoveryFolder(config: Pick<Config, 'space' | 'layout'>, sourceId: string): string {
  return path.join(config.space, config.layout.recovery, sourceId);
}

/**
 * Configured sources (all, or those named by id), each checked to exist before anything is written,
 * each followed by its recovery root (walked when it exists).
 */
export function configuredSources(config: Config, ids: string[] = []): ScanSource[] {
  const unknown = ids.filter((id) => !config.sources.some((source) => source.id === id));
  if (unknown.length > 0) throw new UserError(`unknown source ${unknown.join(', ')} (config ${config.file ?? 'none'})`);
  const chosen = ids.length > 0 ? config.sources.filter((source) => ids.includes(source.id)) : config.sources;
  if (chosen.length === 0) {
    throw new UserError(config.file ? `config ${config.file} declares no sources; add some, or name folders: reconcile scan DIR...` : 'nothing to scan: name folders (reconcile scan DIR...) or pass --config FILE');
  }
  return chosen.flatMap((source): ScanSource[] => {
    checkFolder(source.root, `source ${source.id}: landing folder`);
    for (const [what, file] of [
      ['manifest', source.manifestPath],
      ...source.logPaths.map((log) => ['log', log]),
    ] as const) {
      if (file !== undefined && !fs.existsSync(file)) throw new UserError(`source ${source.id}: ${what} ${file} does not exist`);
    }
    const { root, manifestPath, logPaths, ...declared } = source;
    const landing: ScanSource = {
      id: source.id,
      host: source.host,
      kind: source.kind,
      class: source.class,
      origin: source.origin,
      landing: source.landing,
      root,
      boundary: config.space,
      manifestPath,
      logPaths,
      logEncoding: source.logEncoding,
      remote: source.remote,
      configJson: JSON.stringify(declared),
    };
    return [landing, recoveryRoot(config, landing)];
  });
}

/** A source's recovery folder as a root of its own, distinguishable from its landing. */
function recoveryRoot(config: Config, landing: ScanSource): ScanSource {
  const root = recoveryFolder(config, landing.id);
  return {
    id: recoverySourceId(landing.id),
    host: landing.host,
    kind: landing.kind,
    class: landing.class,
    origin: landing.origin,
    landing: path.relative(config.space, root),
    root,
    boundary: config.space,
    logPaths: [],
    remote: landing.remote,
    recoveryOf: landing.id,
    optional: true,
    configJson: JSON.stringify({ recoveryOf: landing.id }),
  };
}

/** Ad-hoc folders: the id comes from the folder name (plus a short hash when another folder has that name). */
export function adhocSources(db: Db, dirs: string[]): ScanSource[] {
  const lookup = db.prepare('SELECT root FROM Source WHERE id = ?');
  const taken = new Map<string, string>();
  return dirs.map((dir) => {
    const root = path.resolve(dir);
    checkFolder(root, 'folder');
    let id = slug(path.basename(root)) || 'root';
    const existing = (lookup.get(id) as { root: string } | undefined)?.root ?? taken.get(id);
    if (existing !== undefined && existing !== root) id = `${id}-${xxhash.XXHash128.hash(Buffer.from(root)).toString('hex').slice(0, 8)}`;
    taken.set(id, root);
    return { id, kind: 'adhoc', class: 'local', landing: root, root, boundary: root, logPaths: [], configJson: '{}' };
  });
}

function slug(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

function checkFolder(folder: string, what: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`${what} ${folder} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`);
  }
  if (!stat.isDirectory()) throw new UserError(`${what} ${folder} is not a folder`);
  try {
    fs.readdirSync(folder);
  } catch (error) {
    throw new UserError(`${what} ${folder} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
}

/** Creates or refreshes the Source row. */
export function upsertSource(db: Db, source: ScanSource): void {
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO Source (id, host, kind, class, origin, landing, root, configJson, recoveryOf, createdAt, updatedAt)
     VALUES (@id, @host, @kind, @class, @origin, @landing, @root, @configJson, @recoveryOf, @now, @now)
     ON CONFLICT(id) DO UPDATE SET host = excluded.host, kind = excluded.kind, class = excluded.class, origin = excluded.origin,
       landing = excluded.landing, root = excluded.root, configJson = excluded.configJson, recoveryOf = excluded.recoveryOf,
       updatedAt = excluded.updatedAt`,
  ).run({
    id: source.id,
    host: source.host ?? null,
    kind: source.kind,
    class: source.class,
    origin: source.origin ?? null,
    landing: source.landing,
    root: source.root,
    configJson: source.configJson,
    recoveryOf: source.recoveryOf ?? null,
    now,
  });
}
