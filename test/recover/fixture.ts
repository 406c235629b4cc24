/**
 * Three origins on local disk — a Mac reached by rsync, a cloud remote reached by rclone, a Windows
 * PC whose robocopy script is read — each with an inventory made by the origin's own tool
 * (`reconcile manifest --hash`, `rclone lsjson -R --hash`), and a space the transfers left short.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { runCli, tempDir, type CliResult } from '../helpers.ts';

/** One entry of a source in `reconcile --json recover`. */
export interface RecoverEntryJson {
  path: string;
  reason: string;
  remedy: string | null;
  mismatch?: { file: string; status: string };
}
/** One source in `reconcile --json recover`. */
export interface RecoverSourceJson {
  source: string;
  kind: string;
  origin: string | null;
  target: string;
  files: string[];
  list: string | null;
  entries: RecoverEntryJson[];
  command: string | null;
  script: string | null;
  push: string | null;
  separate: { path: string; command: string }[];
  counts: { outstanding: number; fetched: number; placed: number; waived: number };
}
/** rsync and rclone as Debian packages; null when present, else why they could not be installed. */
export function ensureTools(): string | null {
  const missing = ['rsync', 'rclone'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length === 0) return null;
  const install = spawnSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`], { stdio: 'ignore' });
  return install.status === 0 ? null : `${missing.join(' and ')} not installed and apt-get could not install them`;
}

export const mtime = 1_760_000_000;
const longDir = Array.from({ length: 6 }, (_, index) => `a fairly long folder name number ${index} for windows`).join('/');

export const origins = {
  mac: {
    'keep.txt': 'arrived whole',
    'docs/missing.md': 'never arrived',
    '#notes.txt': 'a name rsync lists would take for a comment',
    'Downloads/Private plan.pdf': 'macOS privacy blocked the first transfer',
    'video.mov': 'v'.repeat(4000),
    'stub.bin': 'the content of a cloud-only file',
    'db.sqlite': 'sqlite pages, sixty-four bytes of them.........................',
  },
  cloud: {
    'here.txt': 'arrived from the cloud',
    'a\nb.txt': 'a name with a newline',
    'report.docx': 'the report nobody copied',
  },
  pc: {
    'arrived.txt': 'came over with robocopy',
    "Projects/It's [draft] é.docx": 'odd name on Windows',
    [`${longDir}/deep.txt`]: 'beyond 260 characters on Windows',
  },
} as const;

export class RecoveryFixture {
  readonly root = tempDir('reconcile-recover-');
  readonly dataDir = path.join(this.root, 'data');
  readonly space = path.join(this.root, 'space');
  readonly config = path.join(this.root, 'reconcile.yaml');

  constructor() {
    for (const [source, files] of Object.entries(origins)) {
      for (const [rel, content] of Object.entries(files)) this.writeAt(path.join(this.root, 'origins', source, rel), content);
    }
    // What the transfers left: some files whole, a truncated copy, an empty stand-in, a corrupt copy.
    this.writeAt(path.join(this.space, 'mike/dev/keep.txt'), origins.mac['keep.txt']);
    this.writeAt(path.join(this.space, 'mike/dev/video.mov'), origins.mac['video.mov'].slice(0, 1600));
    this.writeAt(path.join(this.space, 'mike/dev/stub.bin'), '');
    this.writeAt(path.join(this.space, 'mike/dev/db.sqlite'), origins.mac['db.sqlite'].replace('pages', 'PAGES'));
    this.writeAt(path.join(this.space, 'mike/cloud/here.txt'), origins.cloud['here.txt']);
    this.writeAt(path.join(this.space, 'inbox/pc_/arrived.txt'), origins.pc['arrived.txt']);
    fs.mkdirSync(path.join(this.space, 'mike/pc'), { recursive: true });
    fs.mkdirSync(path.join(this.root, 'manifests'), { recursive: true });
    fs.mkdirSync(path.join(this.root, 'logs'), { recursive: true });
    // The first rsync from the Mac met macOS privacy protection on ~/Downloads.
    fs.writeFileSync(
      path.join(this.root, 'logs/mac.rsync.log'),
      [
        '2026/10/02 14:00:00 [4242] building file list',
        '2026/10/02 14:00:01 [4242] rsync: [sender] send_files failed to open "/Users/miket/dev/Downloads/Private plan.pdf": Operation not permitted (1)',
        '2026/10/02 14:00:02 [4242] rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [sender=3.2.7]',
        '',
      ].join('\n'),
    );
    for (const source of ['mac', 'pc']) {
      const made = runCli(['manifest', path.join(this.root, 'origins', source), '--hash', '--out', path.join(this.root, 'manifests', `${source}.jsonl.gz`)], { dataDir: this.dataDir });
      if (made.status !== 0) throw new Error(made.stderr);
    }
    const listing = execFileSync('rclone', ['lsjson', '-R', '--hash', path.join(this.root, 'origins/cloud')], { encoding: 'utf8', env: { ...process.env, RCLONE_CONFIG: '/dev/null' } });
    // rclone prints one object per line inside the array, as the importer expects.
    const items = JSON.parse(listing) as Record<string, unknown>[];
    fs.writeFileSync(path.join(this.root, 'manifests/cloud.lsjson'), `[\n${items.map((item) => JSON.stringify(item)).join(',\n')}\n]\n`);
    fs.writeFileSync(
      this.config,
      YAML.stringify({
        space: 'space',
        sources: [
          { id: 'mac', host: 'count-zero', kind: 'rsync', class: 'local', origin: '/Users/miket/dev/', landing: 'mike/dev', manifest: 'manifests/mac.jsonl.gz', logs: ['logs/mac.rsync.log'], reach: 'origins/mac', systemOfRecord: true },
          { id: 'cloud', kind: 'rclone', class: 'cloud', origin: 'm365:_MAIN_FILES', remote: 'm365:', landing: 'mike/cloud', manifest: 'manifests/cloud.lsjson', reach: 'origins/cloud' },
          { id: 'pc', host: 'wintermute', kind: 'robocopy', class: 'local', origin: 'C:\\Users\\mike\\MDT\\', landing: 'inbox/pc_', manifest: 'manifests/pc.jsonl.gz' },
        ],
        layout: { mappings: [{ from: 'inbox/pc_', to: 'mike/pc' }] },
        server: { host: 'motoko', windowsShare: '\\\\motoko\\space' },
      }),
    );
  }

  writeAt(file: string, content: string, time = mtime): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    fs.utimesSync(file, time, time);
  }

  cli(args: string[], env: Record<string, string> = {}): CliResult {
    return runCli(['--config', this.config, ...args], { dataDir: this.dataDir, env: { RCLONE_CONFIG: '/dev/null', ...env } });
  }

  json<T>(args: string[]): T {
    const result = this.cli(['--json', ...args]);
    if (result.status !== 0) throw new Error(`reconcile ${args.join(' ')} exited ${result.status}: ${result.stdout}${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  recoveryFolder(source: string): string {
    return path.join(this.space, 'inbox/recovery', source);
  }
}
