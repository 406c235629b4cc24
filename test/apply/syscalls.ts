/**
 * Crash and race injection at an exact system call, for real processes: the CLI runs under
 * strace, which SIGKILLs it when it enters a chosen call on a chosen path, or holds it there
 * (delay_enter) while the test changes the file system under it.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
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

/** The calls Node's fs uses to give a file a new name (x86_64 and arm64 numbers, for /proc/<pid>/syscall). */
export const namingCalls = ['link', 'linkat', 'rename', 'renameat', 'renameat2'];
const namingNumbers = new Set(['82', '86', '264', '265', '316', '37', '38', '276']);

export interface Injected {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  stdout(): string;
  /** Resolves once the CLI process waits at the entry of a renaming call (delay injection). */
  heldInNamingCall(): Promise<void>;
}

/**
 * Runs `reconcile ARGS` under strace; the first call among `calls` that touches `onPath` is
 * turned into `action`: a SIGKILL, or a wait of `delayMs` before it runs. (strace matches a
 * rename by its first path, a link by either.)
 */
export function runInjected(
  args: string[],
  options: { dataDir: string; calls: string[]; onPath: Buffer | string; action: 'kill' | { delayMs: number } },
): Injected {
  const calls = options.calls.join(',');
  const inject = options.action === 'kill' ? 'signal=KILL' : `delay_enter=${options.action.delayMs * 1000}`;
  const child = spawn(
    'strace',
    ['-f', '-qq', '-o', '/dev/null', '-P', String(options.onPath), `-e`, `trace=${calls}`, '-e', `inject=${calls}:${inject}:when=1`, process.execPath, path.join(repoRoot, 'bin/reconcile.js'), ...args],
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
    async heldInNamingCall() {
      for (let attempt = 0; attempt < 3000; attempt++) {
        const node = childPid(child.pid!);
        if (node && fs.existsSync(`/proc/${node}/syscall`)) {
          const call = fs.readFileSync(`/proc/${node}/syscall`, 'utf8').split(' ')[0]!;
          if (namingNumbers.has(call)) return;
        }
        await sleep(10);
      }
      throw new Error(`the CLI never reached a renaming call on ${String(options.onPath)}:\n${stderr}`);
    },
  };
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
