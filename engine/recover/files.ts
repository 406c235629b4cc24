/**
 * The files a source's recovery comes with, as contents (the CLI writes them, the web app serves
 * them): the list in the format its tool reads, and the script to run on the origin host.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import { projectVersion } from '../project.ts';
import { listName, needsOwnLine, scriptName, windowsPathOf, type SourceRecovery } from './commands.ts';
import { powershellQuote, shellQuote } from './quote.ts';

export interface RecoveryFile {
  name: string;
  /** Where the CLI writes it (the path the commands name). */
  path: string;
  contents: Buffer;
  mediaType: string;
}

/**
 * rsync `--from0`: NUL after each name, so newlines and leading spaces survive. rsync skips list
 * entries that start with `#` or `;` (comments, even with --from0): `./` in front keeps them.
 */
export function rsyncList(files: readonly string[]): Buffer {
  return Buffer.from(files.map((file) => `${/^[#;]/.test(file) ? './' : ''}${file}\0`).join(''));
}

/** One name a line, as rclone's `--files-from-raw` reads it (no comments, no trimming); names with a newline are left out. */
export function lineList(files: readonly string[]): Buffer {
  return Buffer.from(files.filter((file) => !needsOwnLine(file)).map((file) => `${file}\n`).join(''));
}

/** Every file of a source's recovery (none when nothing is to fetch). */
export function recoveryFiles(config: Config, recovery: SourceRecovery, dir: string): RecoveryFile[] {
  if (recovery.files.length === 0) return [];
  const files: RecoveryFile[] = [];
  const add = (name: string, contents: Buffer, mediaType: string) => files.push({ name, path: path.join(dir, name), contents, mediaType });
  if (recovery.kind === 'rclone') add(listName(recovery.source, 'rclone'), lineList(recovery.files), 'text/plain; charset=utf-8');
  else {
    add(listName(recovery.source, 'rsync'), rsyncList(recovery.files), 'application/octet-stream');
    if (recovery.kind === 'robocopy' || recovery.kind === 'manual') add(listName(recovery.source, 'text'), lineList(recovery.files), 'text/plain; charset=utf-8');
  }
  const script = scriptName(recovery.source, recovery.kind);
  if (script && recovery.kind === 'robocopy') add(script, robocopyScript(config, recovery), 'text/plain; charset=utf-8');
  if (script && recovery.kind === 'icloud') add(script, makeLocalScript(recovery), 'text/x-shellscript; charset=utf-8');
  return files;
}

/**
 * Writes a source's list and script into `dir` (created), each replaced whole so a list never
 * mixes two runs, and creates the recovery folder the commands copy into: rsync makes only the
 * last folder of its destination, and the Mac's push and the PC's script need it on the server.
 */
export function writeRecovery(config: Config, recovery: SourceRecovery, dir: string): void {
  const files = recoveryFiles(config, recovery, dir);
  if (files.length > 0) fs.mkdirSync(recovery.target, { recursive: true });
  for (const file of files) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    const temp = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(temp, file.contents, { mode: file.name.endsWith('.sh') ? 0o755 : 0o644 });
    fs.renameSync(temp, file.path);
  }
}

/** A Windows folder of the origin and the names in it, from origin-relative paths. */
export function groupByFolder(files: readonly string[]): { folder: string; names: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const slash = file.lastIndexOf('/');
    const folder = slash < 0 ? '' : file.slice(0, slash).split('/').join('\\');
    groups.set(folder, [...(groups.get(folder) ?? []), file.slice(slash + 1)]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([folder, names]) => ({ folder, names }));
}

/** Names per robocopy call: its command line has room for about 32 000 characters. */
function chunks(names: string[]): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const name of names) {
    if (current.length > 0 && (current.length >= 50 || length + name.length > 12_000)) {
      result.push(current);
      current = [];
      length = 0;
    }
    current.push(name);
    length += name.length + 3;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/**
 * PowerShell for the Windows host: robocopy has no files-from, so one call per folder names its
 * files. Saved as UTF-8 with a byte-order mark (Windows PowerShell 5.1 reads a file without one in
 * the ANSI code page and would garble accented names) and CRLF line ends.
 */
export function robocopyScript(config: Config, recovery: SourceRecovery): Buffer {
  const origin = (recovery.origin ?? 'C:\\').replace(/\\+$/, '');
  const destination = windowsPathOf(config, recovery.target);
  const log = `${recovery.source}.robocopy.log`;
  const calls = groupByFolder(recovery.files).flatMap(({ folder, names }) =>
    chunks(names).map((part) => `Copy-Folder ${powershellQuote(folder)} @(${part.map(powershellQuote).join(', ')})`),
  );
  const lines = [
    `# Reconcile recovery for source ${recovery.source} (generated by reconcile ${projectVersion()}).`,
    `# Copies the ${recovery.files.length} file(s) the space still lacks from ${origin} to ${destination},`,
    '# folder by folder with robocopy, keeping their timestamps; nothing at the origin is changed.',
    `# Run it on ${recovery.host ?? 'the Windows PC'} in PowerShell:  powershell -ExecutionPolicy Bypass -File .\\${recovery.source}.ps1`,
    `# Robocopy's log goes next to this script (${log}): copy it back to the server with the files.`,
    'param(',
    `    [string]$Source = ${powershellQuote(origin)},`,
    `    [string]$Destination = ${powershellQuote(destination)},`,
    `    [string]$Log = (Join-Path $PSScriptRoot ${powershellQuote(log)})`,
    ')',
    "$ErrorActionPreference = 'Stop'",
    '$failures = 0',
    '$gone = 0',
    '',
    '# The extended form of a path, which Windows reads beyond 260 characters: \\\\?\\C:\\... or \\\\?\\UNC\\server\\share\\...',
    'function Get-LongPath([string]$Path) {',
    "    if ($Path.StartsWith('\\\\?\\')) { return $Path }",
    "    if ($Path.StartsWith('\\\\')) { return '\\\\?\\UNC\\' + $Path.Substring(2) }",
    "    return '\\\\?\\' + $Path",
    '}',
    '',
    '# Copies the named files of one folder (relative to $Source) into the same folder under $Destination.',
    'function Copy-Folder([string]$Folder, [string[]]$Files) {',
    '    $from = if ($Folder) { Join-Path $Source $Folder } else { $Source }',
    '    $to = if ($Folder) { Join-Path $Destination $Folder } else { $Destination }',
    '    foreach ($file in $Files) {',
    '        # -LiteralPath: names with [ ] are not patterns; the long form: paths beyond 260 characters.',
    '        if (-not (Test-Path -LiteralPath (Get-LongPath (Join-Path $from $file)))) {',
    '            Write-Warning "no longer at the origin: $(Join-Path $from $file)"',
    '            $script:gone++',
    '        }',
    '    }',
    '    # Robocopy reads long paths itself; the long form is passed where a path nears the limit.',
    '    $longest = ($Files | Measure-Object -Maximum -Property Length).Maximum',
    '    if ($from.Length + $longest -ge 240 -or $to.Length + $longest -ge 240) { $from = Get-LongPath $from; $to = Get-LongPath $to }',
    '    # /COPY:DAT data, attributes and times; /DCOPY:T folder times; /XC /XN /XO never replace a file',
    '    # already at the destination (one that does not match goes to the archive on the server first);',
    '    # /R:2 /W:5 two retries 5 s apart; /NP no percentages; /UNILOG+: append to a Unicode log; /TEE show it here too.',
    '    robocopy $from $to @Files /COPY:DAT /DCOPY:T /XC /XN /XO /R:2 /W:5 /NP "/UNILOG+:$Log" /TEE',
    '    # robocopy exits below 8 when it copied (or found nothing to copy), 8 and above when a copy failed.',
    '    if ($LASTEXITCODE -ge 8) { $script:failures++ }',
    '}',
    '',
    ...calls,
    '',
    'if ($failures -gt 0) { Write-Host "$failures robocopy call(s) failed: see $Log"; exit 1 }',
    'if ($gone -gt 0) { Write-Host "$gone file(s) are no longer at the origin: waive them on the server (reconcile waive) if nobody needs them" }',
    'Write-Host "Done. Copy $Log to the server, then run reconcile scan there."',
    '',
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n'))]);
}

/**
 * bash for the Mac: iCloud keeps evicted files as stubs, and a copy of a stub is not the file.
 * `brctl download` asks for each one; the script then waits until none is left in the cloud
 * (a file still there carries the `dataless` flag, or only its `.Name.icloud` stub exists).
 */
export function makeLocalScript(recovery: SourceRecovery): Buffer {
  const root = (recovery.origin ?? '').replace(/\/?$/, '/');
  const lines = [
    '#!/bin/bash',
    `# Reconcile recovery for source ${recovery.source} (generated by reconcile ${projectVersion()}).`,
    `# Makes the ${recovery.files.length} file(s) the space still lacks local on this Mac, then waits until they are.`,
    `# Run it on ${recovery.host ?? 'the Mac'}:  bash ${recovery.source}.make-local.sh`,
    'set -u',
    `root=${shellQuote(root)}`,
    'files=(',
    ...recovery.files.map((file) => `  ${shellQuote(file)}`),
    ')',
    'stub() { printf "%s/.%s.icloud" "$(dirname "$1")" "$(basename "$1")"; }',
    'for rel in "${files[@]}"; do',
    '  file="$root$rel"',
    '  [ -e "$file" ] || file="$(stub "$file")"',
    '  brctl download "$file" || echo "brctl could not ask for $rel" >&2',
    'done',
    'for attempt in $(seq 1 120); do',
    '  left=0',
    '  for rel in "${files[@]}"; do',
    '    file="$root$rel"',
    '    if [ ! -e "$file" ] || stat -f %Sf "$file" | grep -q dataless; then left=$((left + 1)); fi',
    '  done',
    '  if [ "$left" -eq 0 ]; then',
    '    echo "all ${#files[@]} file(s) are local now."',
    ...(recovery.command ? [`    echo ${shellQuote(`Now run on the server: ${recovery.command}`)}`] : []),
    ...(recovery.push ? [`    echo ${shellQuote(`Or push them from here: ${recovery.push}`)}`] : []),
    '    exit 0',
    '  fi',
    '  echo "$left file(s) still downloading..."',
    '  sleep 5',
    'done',
    'echo "$left file(s) are still in the cloud after 10 minutes: check them in Finder, then run this again" >&2',
    'exit 1',
    '',
  ];
  return Buffer.from(lines.join('\n'));
}
