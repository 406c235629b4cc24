/**
 * Loads and validates the config file and the environment into one typed object.
 * Public surface of engine/config: everything else imports from here.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { loadEnv, type Env } from './env.ts';
import { configFileSchema, type ConfigFile, type SourceConfig } from './file.ts';
import { UserError } from './errors.ts';

export { UserError, isUserError } from './errors.ts';
export { loadEnv, secretEnvNames, childEnv, authMode, checkAccessEnv, type Env } from './env.ts';
export {
  priorityRules,
  type PriorityRule,
  type ConfigFile,
  type SourceConfig,
  type LayoutConfig,
  type AccessConfig,
  type ServerConfig,
} from './file.ts';

/** A source with every path resolved to an absolute one. */
export interface ResolvedSource extends SourceConfig {
  /** Absolute landing folder. */
  root: string;
  /** Absolute manifest path, if any. */
  manifestPath?: string;
  /** Absolute log paths. */
  logPaths: string[];
}

export interface Config extends Omit<ConfigFile, 'sources'> {
  /** The config file this came from, or undefined for an ad-hoc run. */
  file?: string;
  /** Absolute space root. */
  space: string;
  sources: ResolvedSource[];
  env: Env;
  dataDir: string;
  databasePath: string;
  logFile: string;
}

/** Where a config file comes from: a --config flag, RECONCILE_CONFIG, or nothing. */
export function resolveConfigPath(flag: string | undefined, env: Env = loadEnv()): string | undefined {
  return flag ?? env.RECONCILE_CONFIG;
}

/** Reads and validates a config file; the error names the file, the key and what is wrong. */
export function readConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`config ${file}: cannot be read (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text, { prettyErrors: true });
  } catch (error) {
    const detail = (error as Error).message.split('\n')[0];
    throw new UserError(`config ${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${detail}`);
  }
  const parsed = configFileSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new UserError(`config ${file}: ${describeIssues(parsed.error)}`);
  const ids = new Set<string>();
  parsed.data.sources.forEach((source, index) => {
    if (ids.has(source.id)) throw new UserError(`config ${file}: sources[${index}].id: duplicate id "${source.id}"`);
    ids.add(source.id);
  });
  const overlap = recoveryOverlap(parsed.data);
  if (overlap) throw new UserError(`config ${file}: layout.recovery: ${overlap}`);
  return parsed.data;
}

const within = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(`${outer}/`);

/**
 * The recovery folder holds fetched files until a person places them: a landing (or one of our
 * own folders) around it or inside it would make them look live, or part of a transfer.
 */
function recoveryOverlap(config: ConfigFile): string | null {
  const recovery = config.layout.recovery;
  for (const source of config.sources) {
    if (within(recovery, source.landing) || within(source.landing, recovery)) {
      return `${recovery} overlaps the landing ${source.landing} of source ${source.id}; fetched files must land outside every landing (choose another layout.recovery)`;
    }
  }
  for (const key of ['journal', 'archive', 'conflicts'] as const) {
    const folder = config.layout[key];
    if (within(recovery, folder) || within(folder, recovery)) return `${recovery} overlaps layout.${key} ${folder}`;
  }
  return null;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${formatPath(issue.path) || '(top level)'}: ${issue.message}`)
    .join('; ');
}

function formatPath(keys: PropertyKey[]): string {
  return keys
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/** The full configuration: file (if any) plus environment. */
export function loadConfig(options: { file?: string; env?: Env } = {}): Config {
  const env = options.env ?? loadEnv();
  // The config file is chosen at run time; the web build must not try to trace it.
  const file = options.file ? path.resolve(/*turbopackIgnore: true*/ options.file) : undefined;
  const fromFile: ConfigFile = file ? readConfigFile(file) : configFileSchema.parse({ space: process.cwd() });
  const baseDir = file ? path.dirname(file) : process.cwd();
  const space = path.resolve(baseDir, fromFile.space);
  const dataDir = env.RECONCILE_DATA_DIR;
  return {
    ...fromFile,
    file,
    space,
    sources: fromFile.sources.map((source) => resolveSource(source, space, baseDir)),
    env,
    dataDir,
    databasePath: path.join(dataDir, 'reconcile.db'),
    logFile: path.join(dataDir, 'logs', 'reconcile.log'),
  };
}

function resolveSource(source: SourceConfig, space: string, baseDir: string): ResolvedSource {
  return {
    ...source,
    root: path.join(space, source.landing),
    manifestPath: source.manifest ? path.resolve(baseDir, source.manifest) : undefined,
    logPaths: source.logs.map((log) => path.resolve(baseDir, log)),
  };
}
