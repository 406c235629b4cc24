/**
 * Transfer logs as the tools write them: rsync `--log-file` with `--itemize-changes`, robocopy
 * `/LOG` (CRLF), rclone `--use-json-log`. Each per-file error of the scenario appears in its
 * tool's words, next to ordinary lines for the files that copied fine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { transferTime, type LogEvent, type OriginEntry } from './builder.ts';
import { originPath, type ScenarioSource } from './layout.ts';

export interface LogInput {
  source: ScenarioSource;
  entries: OriginEntry[];
  events: LogEvent[];
  /** Inventory paths that never arrived (no ordinary "copied" line for them). */
  notCopied: Set<string>;
}

export function writeLogs(dir: string, input: LogInput): void {
  const [logFile] = input.source.logs;
  if (!logFile) return;
  const file = path.join(dir, logFile);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const render = { rsync: rsyncLog, robocopy: robocopyLog, rclone: rcloneLog }[input.source.kind as 'rsync' | 'robocopy' | 'rclone'];
  fs.writeFileSync(file, render(input));
}

const pad = (value: number) => String(value).padStart(2, '0');

function stamp(seconds: number): string {
  const date = new Date(seconds * 1000);
  return `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** Files in path order with the log's per-file events interleaved where the tool met them. */
function timeline(input: LogInput): { entry: OriginEntry; events: LogEvent['event'][]; at: number }[] {
  const sorted = [...input.entries].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const eventsByPath = new Map<string, LogEvent['event'][]>();
  for (const event of input.events) eventsByPath.set(event.rel, [...(eventsByPath.get(event.rel) ?? []), event.event]);
  return sorted.map((entry, index) => ({
    entry,
    events: eventsByPath.get(entry.rel) ?? [],
    at: transferTime + 60 + index * 2,
  }));
}

function rsyncLog(input: LogInput): string {
  const pid = 40000 + input.source.id.length * 97;
  const lines: string[] = [];
  const log = (at: number, text: string) => lines.push(`${stamp(at)} [${pid}] ${text}`);
  log(transferTime, `building file list`);
  const quoted = (rel: string) => `"${originPath(input.source, rel)}"`;
  let errors = 0;
  for (const { entry, events, at } of timeline(input)) {
    if (events.includes('edeadlk-open')) {
      log(at, `rsync: [sender] send_files failed to open ${quoted(entry.rel)}: Resource deadlock avoided (11)`);
      errors += 1;
    } else if (events.includes('edeadlk-read')) {
      log(at, `rsync: [sender] read errors mapping ${quoted(entry.rel)}: Resource deadlock avoided (11)`);
      log(at, `WARNING: ${entry.rel} failed verification -- update discarded (will try again).`);
      log(at + 1, `rsync: [sender] read errors mapping ${quoted(entry.rel)}: Resource deadlock avoided (11)`);
      log(at + 1, `ERROR: ${entry.rel} failed verification -- update discarded.`);
      errors += 1;
    } else if (events.includes('eperm')) {
      log(at, `rsync: [sender] send_files failed to open ${quoted(entry.rel)}: Operation not permitted (1)`);
      errors += 1;
    } else if (!input.notCopied.has(entry.rel)) {
      log(at, `${entry.type === 'symlink' ? 'cL' : '>f'}+++++++++ ${entry.rel}`);
    }
  }
  const end = transferTime + 60 + input.entries.length * 2 + 5;
  log(end, `file has vanished: ${quoted('tmp/build.lock')}`);
  const bytes = input.entries.reduce((sum, entry) => sum + entry.size, 0);
  log(end + 1, `sent ${bytes + 18_211} bytes  received ${input.entries.length * 38} bytes  total size ${bytes}`);
  if (errors > 0) log(end + 1, 'rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [sender=3.2.7]');
  return `${lines.join('\n')}\n`;
}

function robocopyLog(input: LogInput): string {
  const source = input.source;
  const started = new Date(transferTime * 1000);
  const day = started.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const rule = '-'.repeat(79);
  const lines = [
    rule,
    '   ROBOCOPY     ::     Robust File Copy for Windows',
    rule,
    '',
    `  Started : ${day} ${stamp(transferTime).slice(11)}`,
    `   Source : ${source.origin}`,
    `     Dest : \\\\motoko\\space\\${source.landing.replaceAll('/', '\\')}\\`,
    '',
    '    Files : *.*',
    '',
    '  Options : *.* /S /E /DCOPY:DA /COPY:DAT /Z /R:1 /W:5 /NP /LOG:C:\\Users\\mike\\robocopy-mdt.log',
    '',
    rule.slice(1),
    '',
  ];
  let folder = '';
  // robocopy counts what it met: a file that never arrived without an error line (gone from the
  // origin, or made there after the copy) is in neither Total nor FAILED.
  const failed = new Set<string>();
  let listed = 0;
  const windowsPath = (rel: string) => originPath(source, rel);
  const filesIn = new Map<string, number>();
  for (const entry of input.entries) filesIn.set(path.posix.dirname(entry.rel), (filesIn.get(path.posix.dirname(entry.rel)) ?? 0) + 1);
  for (const { entry, events, at } of timeline(input)) {
    const parent = path.posix.dirname(entry.rel);
    if (parent !== folder) {
      folder = parent;
      const count = filesIn.get(parent)!;
      lines.push(`\t                  ${count}\t${windowsPath(parent === '.' ? '' : `${parent}/`)}`);
    }
    const name = path.posix.basename(entry.rel);
    const error = robocopyError(events);
    if (error) {
      lines.push(`\t    New File  \t\t${String(entry.size).padStart(8)}\t${name}`);
      lines.push(`${stamp(at)} ERROR ${error.code} (0x${error.code.toString(16).padStart(8, '0')}) Copying File ${windowsPath(entry.rel)}`);
      lines.push(error.text, '', 'ERROR: RETRY LIMIT EXCEEDED.', '');
      failed.add(entry.rel);
      listed++;
    } else if (!input.notCopied.has(entry.rel)) {
      lines.push(`\t    New File  \t\t${String(entry.size).padStart(8)}\t${name}`);
      listed++;
    }
  }
  const ended = transferTime + 60 + input.entries.length * 2 + 5;
  lines.push(
    '',
    rule.slice(1),
    '',
    '               Total    Copied   Skipped  Mismatch    FAILED    Extras',
    `   Files : ${[listed, listed - failed.size, 0, 0, failed.size, 0].map((n) => String(n).padStart(9)).join(' ')}`,
    `   Ended : ${day} ${stamp(ended).slice(11)}`,
    '',
  );
  return lines.join('\r\n');
}

function robocopyError(events: LogEvent['event'][]): { code: number; text: string } | undefined {
  if (events.includes('access-denied')) return { code: 5, text: 'Access is denied.' };
  if (events.includes('in-use')) return { code: 32, text: 'The process cannot access the file because it is being used by another process.' };
  if (events.includes('semaphore-timeout')) return { code: 121, text: 'The semaphore timeout period has expired.' };
  return undefined;
}

function rcloneLog(input: LogInput): string {
  const lines: string[] = [];
  const time = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '.000000+00:00');
  const log = (at: number, level: string, msg: string, object?: string) =>
    lines.push(
      JSON.stringify({
        time: time(at),
        level,
        msg,
        ...(object === undefined ? {} : { object, objectType: '*onedrive.Object' }),
        source: object === undefined ? 'cmd/cmd.go:513' : 'operations/copy.go:376',
      }),
    );
  let errors = 0;
  for (const { entry, events, at } of timeline(input)) {
    if (events.includes('cloud-failed')) {
      log(at, 'error', 'Failed to copy: activityLimitReached: throttledRequest: The request has been throttled', entry.rel);
      errors += 1;
    } else if (events.includes('retried')) {
      log(at, 'error', 'Failed to copy: unexpected EOF', entry.rel);
      log(at + 600, 'info', 'Copied (new)', entry.rel);
    } else if (!input.notCopied.has(entry.rel)) {
      log(at, 'info', 'Copied (new)', entry.rel);
    }
  }
  const end = transferTime + 60 + input.entries.length * 2 + 5;
  if (errors > 0) log(end, 'error', `Attempt 3/3 failed with ${errors} errors and: activityLimitReached: throttledRequest: The request has been throttled`);
  return `${lines.join('\n')}\n`;
}
