/**
 * Crash and race injection at an exact system call, for real processes: the CLI runs under
 * strace, which SIGKILLs it when it enters a chosen call on a chosen path, or holds it there
 * (delay_enter) while the test changes the file system under it.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../helpers.ts';

/** Why injection cannot run here, or null when it can (strace present and allowed to trace). */
export function straceUnavailable(): string | null {
  const probe = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', '-e', 'trace=none', 'true'], { encoding: 'utf8' });
  if (probe.error) return `strace is not installed (${probe.error.message}); scripts/test.sh installs it`;
  if (probe.status !== 0) return `strace cannot trace here: ${probe.stderr.trim().split('\n')[0]}`;
  return null;
}

/** The calls Node's fs uses to give a file a new name. */
export const namingCalls = ['link', 'linkat', 'rename', 'renameat', 'renameat2'];
/** Their numbers in /proc/<tid>/syscall (x86_64, then arm64), and those of open/openat. */
const namingNumbers = new Set(['82', '86', '264', '265', '316', '37', '38', '276']);
const openingNumbers = new Set(['2', '257', '56']);
/** pwrite64 (x86_64, arm64): how SQLite writes its WAL. */
const writingNumbers = new Set(['18', '68']);

export interface Injected {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  stdout(): string;
  /** Resolves once a thread of the CLI waits at the entry of a renaming call (delay injection). */
  heldInNamingCall(): Promise<void>;
  /** Resolves once a thread of the CLI (a hash worker, say) waits at the entry of an open. */
  heldInOpen(): Promise<void>;
  /** Resolves once a thread of the CLI waits at the entry of a pwrite (SQLite writing its WAL). */
  heldInWrite(): Promise<void>;
}

/**
 * Runs `reconcile ARGS` under strace; the first call among `calls` that touches `onPath` is
 * turned into `action`: a SIGKILL, or a wait of `delayMs` before it runs. (strace matches a
 * rename by its first path, a link by either.)
 */
export function runInjected(
  args: string[],
  options: {
    dataDir: string;
    calls: string[];
    onPath: Buffer | string;
    /** A SIGKILL, a hold, or an error returned in place of the call. */
    action: 'kill' | { delayMs: number } | { error: string };
    /** Which matching calls (strace's `when`: `3` the third, `1+` every one; default the first). */
    when?: number | string;
    /** Where strace writes the calls it traced, with the paths of their file descriptors (-y); 'stderr' unbuffered, line by line. */
    traceFile?: string;
  },
): Injected {
  const calls = options.calls.join(',');
  const action = options.action;
  const inject = action === 'kill' ? 'signal=KILL' : 'delayMs' in action ? `delay_enter=${action.delayMs * 1000}` : `error=${action.error}`;
  const child = spawn(
    'strace',
    [
      '-f',
      '-qq',
      '-y',
      ...(options.traceFile === 'stderr' ? [] : ['-o', options.traceFile ?? '/dev/null']),
      '-P',
      String(options.onPath),
      `-e`,
      `trace=${calls}`,
      '-e',
      `inject=${calls}:${inject}:when=${options.when ?? 1}`,
      process.execPath,
      path.join(repoRoot, 'bin/reconcile.js'),
      ...args,
    ],
    { env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, RECONCILE_DATA_DIR: options.dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    exited,
    stderr: () => stderr,
    stdout: () => stdout,
    heldInNamingCall: () => heldIn(child.pid!, namingNumbers, () => stderr),
    heldInOpen: () => heldIn(child.pid!, openingNumbers, () => stderr),
    heldInWrite: () => heldIn(child.pid!, writingNumbers, () => stderr),
  };
}

/**
 * Waits until one thread of the traced node process sits in tracing stop inside one of `calls`,
 * twice in a row 200 ms apart (strace stops every call briefly; only the injected one stays).
 */
async function heldIn(stracePid: number, calls: Set<string>, stderr: () => string): Promise<void> {
  let seen: string | null = null;
  for (let attempt = 0; attempt < 300; attempt++) {
    const node = childPid(stracePid);
    const held = node === null ? null : stoppedThreadIn(node, calls);
    if (held !== null && held === seen) return;
    seen = held;
    await sleep(200);
  }
  throw new Error(`the CLI never stopped in the injected call:\n${stderr()}`);
}

function stoppedThreadIn(pid: number, calls: Set<string>): string | null {
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const state = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]?.[0];
      const call = fs.readFileSync(`/proc/${pid}/task/${tid}/syscall`, 'utf8').split(' ')[0]!;
      if (state === 't' && calls.has(call)) return `${tid}:${call}`;
    }
  } catch {
    // The process or a thread ended while it was read.
  }
  return null;
}

/** strace's traced child: the node process. */
function childPid(stracePid: number): number | null {
  try {
    const children = fs.readFileSync(`/proc/${stracePid}/task/${stracePid}/children`, 'utf8').trim();
    return children ? Number(children.split(' ')[0]) : null;
  } catch {
    return null;
  }
}

/** Runs `reconcile ARGS` under strace and returns the calls among `calls` it made (paths of fds shown). */
export function traceCli(args: string[], options: { dataDir: string; calls: string[] }): { status: number; trace: string[]; stderr: string } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-trace-')), 'trace');
  const result = spawnSync(
    'strace',
    ['-f', '-qq', '-y', '-o', file, '-e', `trace=${options.calls.join(',')}`, process.execPath, path.join(repoRoot, 'bin/reconcile.js'), ...args],
    { encoding: 'utf8', env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, RECONCILE_DATA_DIR: options.dataDir }, timeout: 120_000 },
  );
  const trace = fs.readFileSync(file, 'utf8').split('\n');
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return { status: result.status ?? -1, trace, stderr: result.stderr };
}
