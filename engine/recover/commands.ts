/**
 * The ready command for each source's recovery list, by the origin's tool: rsync (pulled from this
 * server over ssh, or pushed from the Mac), rclone (copy from the remote), robocopy (a PowerShell
 * script run on the PC), iCloud (make the files local first), manual (instructions). The commands
 * are what `recover --fetch` runs, spelled out for a person.
 */
import os from 'node:os';
import path from 'node:path';
import { UserError, type Config, type ResolvedSource } from '../config/index.ts';
import { shellLine, shellQuote } from './quote.ts';
import { reachOf, withSlash, type Reach } from './reach.ts';
import type { SourceRecoveryState } from './status.ts';

export interface SeparateFetch {
  path: string;
  command: string;
  argv: string[];
}

export interface SourceRecovery extends SourceRecoveryState {
  /** Origin-relative paths to fetch, '/'-separated (the list file holds exactly these). */
  files: string[];
  /** The list file the command reads (NUL-separated for rsync, one name a line for rclone and robocopy). */
  list: string | null;
  /** Runs as-is on this server; null when it must run on the origin host (see `script`). */
  command: string | null;
  /** The script to run on the origin host (robocopy: PowerShell; iCloud: make files local). */
  script: string | null;
  /** rsync from the Mac pushing to this server, for when the server cannot reach it. */
  push: string | null;
  /** rclone lists cannot hold a name with a newline: each such file gets a command of its own. */
  separate: SeparateFetch[];
  instructions: string[];
  /** How this server reaches the origin (`host:/path/`, `remote:path`, a folder), if it can. */
  reach: string | null;
  fetchable: boolean;
  counts: { outstanding: number; fetched: number; placed: number; waived: number };
}

/** The tool invocation for a list: what `command` spells out and `--fetch` runs (with `extra` flags). */
export interface ToolRun {
  tool: 'rsync' | 'rclone';
  argv: string[];
}

export const listName = (source: string, tool: 'rsync' | 'rclone' | 'text'): string => `${source}.${tool === 'rsync' ? 'from0' : 'txt'}`;
export const scriptName = (source: string, kind: ResolvedSource['kind']): string | null =>
  kind === 'robocopy' ? `${source}.ps1` : kind === 'icloud' ? `${source}.make-local.sh` : null;

export function serverHost(config: Config): string {
  return config.server.host ?? os.hostname();
}

/** The space as Windows hosts see it, and a space folder under it (backslashes, no trailing one). */
export function windowsPathOf(config: Config, folder: string): string {
  const share = (config.server.windowsShare ?? `\\\\${serverHost(config)}\\${path.basename(config.space)}`).replace(/\\+$/, '');
  const relative = path.relative(config.space, folder);
  return relative === '' ? share : `${share}\\${relative.split('/').join('\\')}`;
}

/**
 * rsync for everything but rclone sources: a NUL-separated list, so any name survives.
 * `--ignore-existing`: a fetch never replaces a file in the recovery folder — one that does not
 * match goes to the archive through review first, and a file that arrived whole is not read again.
 */
export function rsyncRun(listFile: string, from: string, target: string, extra: string[] = []): ToolRun {
  return { tool: 'rsync', argv: ['rsync', '-a', '--from0', `--files-from=${listFile}`, '--ignore-existing', ...extra, withSlash(from), withSlash(target)] };
}

/** `--files-from-raw`: rclone takes each line as it is (no comments, no trimmed spaces); `--ignore-existing` as for rsync. */
export function rcloneRun(listFile: string, remote: string, target: string, extra: string[] = []): ToolRun {
  return { tool: 'rclone', argv: ['rclone', 'copy', remote, target, '--files-from-raw', listFile, '--ignore-existing', ...extra] };
}

export function rcloneOne(remote: string, relPath: string, target: string, extra: string[] = []): string[] {
  return ['rclone', 'copyto', `${remote.replace(/\/+$/, '')}/${relPath}`, path.join(target, relPath), '--ignore-existing', ...extra];
}

/** A name rclone's one-name-a-line list cannot carry. */
export const needsOwnLine = (relPath: string): boolean => /[\n\r]/.test(relPath);

export function describeRecovery(config: Config, state: SourceRecoveryState, dir: string): SourceRecovery {
  const source = config.sources.find((candidate) => candidate.id === state.source)!;
  const files = state.entries.map((entry) => entry.path);
  const counts = { outstanding: files.length, fetched: state.fetched.length, placed: state.placed, waived: state.waived.length };
  let reach: Reach | null = null;
  let reachProblem: string | null = null;
  try {
    reach = reachOf(config, source);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    reachProblem = error.message;
  }
  const base = { ...state, files, counts, reach: reach?.spec ?? null, separate: [] as SeparateFetch[], push: null as string | null };
  if (files.length === 0) {
    return { ...base, list: null, command: null, script: null, fetchable: false, instructions: settledWords(state) };
  }
  const script = scriptName(source.id, source.kind);
  const scriptFile = script ? path.join(dir, script) : null;
  const after = 'Then: reconcile scan, reconcile plan, and approve the placements (or reconcile run once approved).';
  if (source.kind === 'rclone') {
    const list = path.join(dir, listName(source.id, 'rclone'));
    if (!reach) return { ...base, list, command: null, script: null, fetchable: false, instructions: [reachProblem ?? `source ${source.id} names no rclone remote: set origin (remote:path) or reach`] };
    const separate = files.filter(needsOwnLine).map((relPath) => {
      const argv = rcloneOne(reach.spec, relPath, state.target);
      return { path: relPath, argv, command: shellLine(argv) };
    });
    const command = shellLine(rcloneRun(list, reach.spec, state.target).argv);
    return {
      ...base,
      list,
      command,
      script: null,
      separate,
      fetchable: true,
      instructions: [
        `On this server: ${command}`,
        ...(separate.length > 0 ? [`${separate.length} name(s) hold a newline, which an rclone list cannot: fetch each with its own command:`, ...separate.map((each) => `  ${each.command}`)] : []),
        after,
      ],
    };
  }
  const rsyncList = path.join(dir, listName(source.id, 'rsync'));
  const command = reach ? shellLine(rsyncRun(rsyncList, reach.spec, state.target).argv) : null;
  const push =
    (source.kind === 'rsync' || source.kind === 'icloud') && source.origin?.startsWith('/')
      ? shellLine(rsyncRun(path.basename(rsyncList), source.origin, `${serverHost(config)}:${state.target}`).argv)
      : null;
  // What every kind shares: the ready command (null when this server cannot run one) and the push.
  const withPush = { ...base, push, command, fetchable: command !== null };
  switch (source.kind) {
    case 'robocopy': {
      const share = windowsPathOf(config, state.target);
      return {
        ...withPush,
        list: command ? rsyncList : path.join(dir, listName(source.id, 'text')),
        script: scriptFile,
        instructions: [
          `On ${source.host ?? 'the Windows PC'}: copy ${scriptFile} there and run it in PowerShell: powershell -ExecutionPolicy Bypass -File .\\${script}`,
          `  It copies the ${files.length} file(s) with robocopy, folder by folder, from ${source.origin ?? 'the origin'} to ${share}, and writes robocopy's log next to itself.`,
          ...(command ? [`Or, with the origin reachable from this server (${reach!.spec}): ${command}`] : namesApart(files, rsyncList)),
          after,
        ],
      };
    }
    case 'icloud':
      return {
        ...withPush,
        list: rsyncList,
        script: scriptFile,
        instructions: [
          `On ${source.host ?? 'the Mac'} first: make the files local, or a copy reads the stubs — run ${scriptFile} there (brctl download for each file, then it waits until none is left in the cloud), or Finder → Download Now.`,
          ...(command ? [`Then on this server: ${command}`] : [reachProblem ?? `This server cannot reach ${source.host ?? 'the Mac'} (set reach): push from the Mac instead.`]),
          ...(push ? [`Or push from the Mac, in the folder holding a copy of ${rsyncList}: ${push}`] : []),
          after,
        ],
      };
    case 'rsync':
      return {
        ...withPush,
        list: rsyncList,
        script: null,
        instructions: [
          ...(command ? [`On this server (pulls over ssh): ${command}`] : [reachProblem ?? `This server cannot reach the origin (set reach, or host and an absolute origin).`]),
          ...(push ? [`Or on ${source.host ?? 'the Mac'} (pushes to this server): scp ${serverHost(config)}:${rsyncList} . && ${push}`] : []),
          ...(state.entries.some((entry) => entry.remedy) ? ['Some entries need something done at the origin first: see their remedy.'] : []),
          after,
        ],
      };
    case 'manual':
      return {
        ...withPush,
        list: command ? rsyncList : path.join(dir, listName(source.id, 'text')),
        script: null,
        instructions: [
          command
            ? `On this server: ${command}`
            : `Copy the ${files.length} file(s) listed in ${path.join(dir, listName(source.id, 'text'))} from ${source.origin ?? 'the origin'} into ${state.target}, keeping their relative paths and modification times.`,
          ...(command ? [] : namesApart(files, rsyncList)),
          after,
        ],
      };
  }
}

/**
 * The one-name-a-line list (robocopy's and a manual source's, for a person) cannot carry a name
 * with a newline: such names are named apart, quoted, and the NUL-separated list holds them all.
 */
function namesApart(files: readonly string[], nulList: string): string[] {
  const apart = files.filter(needsOwnLine);
  if (apart.length === 0) return [];
  return [`${apart.length} name(s) hold a newline, which a one-name-a-line list cannot: they are in ${nulList} (NUL-separated) and here, quoted for bash:`, ...apart.map((file) => `  ${shellQuote(file)}`)];
}

function settledWords(state: SourceRecoveryState): string[] {
  if (state.fetched.length > 0) return [`Nothing left to fetch; ${state.fetched.length} fetched file(s) wait for their placement: reconcile plan, then approve and apply.`];
  return ['Nothing to fetch from this origin.'];
}
