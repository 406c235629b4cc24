/**
 * `recover --fetch`: runs a source's recovery command where this server reaches the origin (over
 * ssh, an rclone remote, a local or mounted folder), with progress counted from what has arrived,
 * the tool's own log written beside the lists, and that log ingested as a transfer log of the
 * source (its errors become the evidence of what is still missing). Fetching again is idempotent:
 * rsync and rclone skip what arrived whole, and re-fetch what a killed run left short.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { importTransferLog } from '../inventory/index.ts';
import { listName, rcloneOne, rcloneRun, rsyncRun, type SourceRecovery } from './commands.ts';
import { reachOf, type Reach } from './reach.ts';

export interface FetchProgress {
  source: string;
  done: number;
  total: number;
  bytes: number;
}

export interface FetchResult {
  source: string;
  tool: 'rsync' | 'rclone' | null;
  /** fetched: all listed files arrived; partial: some did not (see the log); failed/unreachable: nothing to count on. */
  status: 'fetched' | 'partial' | 'failed' | 'unreachable' | 'skipped';
  exitCode: number | null;
  /** The tool's log (ingested as a transfer log of the source). */
  log: string | null;
  files: number;
  arrived: number;
  message: string;
}

const rsyncExit: Record<number, string> = {
  10: 'error in socket I/O',
  11: 'error in file I/O (a full disk?)',
  12: 'error in the rsync protocol stream (is rsync installed on the origin?)',
  20: 'stopped by a signal',
  23: 'some files were not transferred (see the log: no longer at the origin, or not readable there)',
  24: 'some files vanished at the origin during the transfer',
  30: 'timeout in data send/receive',
  35: 'timeout waiting for the daemon connection',
  255: 'the ssh connection failed',
};

/** How many listed files are in the recovery folder with the size the inventory gives (or at all, without one). */
function arrivedCount(recovery: SourceRecovery): { done: number; bytes: number } {
  let done = 0;
  let bytes = 0;
  for (const entry of recovery.entries) {
    try {
      const stat = fs.lstatSync(path.join(recovery.target, entry.path));
      if (stat.isFile() && (entry.size === null || stat.size === entry.size)) {
        done += 1;
        bytes += stat.size;
      }
    } catch {
      // not there (yet)
    }
  }
  return { done, bytes };
}

function run(argv: string[], quiet: boolean, signal?: AbortSignal): Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'ignore' : 'inherit'], signal });
    // The tools print to the terminal themselves; with --json, stdout carries only our result.
    child.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ code: null, signal: null, error: error.code === 'ENOENT' ? `${argv[0]} is not installed here (apt-get install ${argv[0]})` : error.message }),
    );
    child.on('close', (code, killedBy) => resolve({ code, signal: killedBy }));
  });
}

/** The origin folder for a local reach: there, and a folder (a mount that is not there reads as empty). */
function localProblem(reach: Reach): string | null {
  if (reach.kind !== 'local') return null;
  try {
    return fs.statSync(reach.path).isDirectory() ? null : `${reach.path} is not a folder`;
  } catch (error) {
    return `origin folder ${reach.path} cannot be read (${(error as NodeJS.ErrnoException).code}; not mounted?)`;
  }
}

export async function fetchSource(
  db: Db,
  config: Config,
  recovery: SourceRecovery,
  options: { dir: string; quiet?: boolean; onProgress?(progress: FetchProgress): void; signal?: AbortSignal },
): Promise<FetchResult> {
  const base = { source: recovery.source, files: recovery.files.length };
  const source = config.sources.find((candidate) => candidate.id === recovery.source)!;
  if (recovery.files.length === 0) return { ...base, tool: null, status: 'skipped', exitCode: null, log: null, arrived: 0, message: 'nothing to fetch' };
  const reach = reachOf(config, source);
  if (!reach) {
    return { ...base, tool: null, status: 'skipped', exitCode: null, log: null, arrived: 0, message: recovery.script ? `run ${recovery.script} on ${source.host ?? 'the origin host'}` : 'this server cannot reach the origin (set reach)' };
  }
  const tool = source.kind === 'rclone' ? 'rclone' : 'rsync';
  const problem = localProblem(reach);
  if (problem) return { ...base, tool, status: 'unreachable', exitCode: null, log: null, arrived: 0, message: problem };
  fs.mkdirSync(recovery.target, { recursive: true });
  const log = path.join(options.dir, 'logs', `${recovery.source}.${tool}.log`);
  fs.mkdirSync(path.dirname(log), { recursive: true });
  // Each fetch writes a fresh log: what it says is about this fetch alone.
  fs.writeFileSync(log, '');
  const total = recovery.entries.length;
  const report = () => options.onProgress?.({ source: recovery.source, total, ...arrivedCount(recovery) });
  report();
  const ticker = setInterval(report, 500);
  const runs: string[][] = [];
  if (tool === 'rclone') {
    const flags = ['--log-file', log, '--use-json-log', '--log-level', 'INFO', '--stats', '0'];
    runs.push(rcloneRun(path.join(options.dir, listName(recovery.source, 'rclone')), reach.spec, recovery.target, flags).argv);
    for (const separate of recovery.separate) runs.push(rcloneOne(reach.spec, separate.path, recovery.target, flags));
  } else {
    runs.push(rsyncRun(path.join(options.dir, listName(recovery.source, 'rsync')), reach.spec, recovery.target, [`--log-file=${log}`]).argv);
  }
  let exitCode: number | null = 0;
  let message = '';
  try {
    for (const argv of runs) {
      const outcome = await run(argv, options.quiet === true, options.signal);
      if (outcome.error) return { ...base, tool, status: 'failed', exitCode: null, log, arrived: arrivedCount(recovery).done, message: outcome.error };
      if (outcome.code !== 0) {
        exitCode = outcome.code;
        message = outcome.signal ? `${tool} stopped by ${outcome.signal}` : tool === 'rsync' ? (rsyncExit[outcome.code ?? -1] ?? `rsync exited with ${outcome.code}`) : `rclone exited with ${outcome.code} (see the log)`;
      }
    }
  } finally {
    clearInterval(ticker);
    report();
  }
  // The tool's log is a transfer log of the source: its errors name what is still not here, and why.
  await importTransferLog(db, { id: recovery.source, origin: reach.kind === 'rclone' ? undefined : reach.path }, log);
  const arrived = arrivedCount(recovery).done;
  const unreachable = tool === 'rsync' && exitCode === 255;
  const status = unreachable ? 'unreachable' : arrived === total ? 'fetched' : exitCode === 0 || exitCode === 23 || exitCode === 24 ? 'partial' : arrived > 0 ? 'partial' : 'failed';
  return {
    ...base,
    tool,
    status,
    exitCode,
    log,
    arrived,
    message: status === 'fetched' ? `all ${total} file(s) arrived` : `${arrived} of ${total} file(s) arrived${message ? `; ${message}` : ''}`,
  };
}
