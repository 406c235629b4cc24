/**
 * `reconcile recover` on real origins (rsync, rclone for real; the robocopy script read back):
 * lists and commands per source, a wrong fetched file flagged and archived (never placed), the
 * fetch, recognition, placement through review with a name that collides with a live file, and
 * the placements rolled back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseStoredEvidence } from '../../engine/classify/index.ts';
import { loadConfig, loadEnv } from '../../engine/config/index.ts';
import { openDatabase } from '../../engine/db/index.ts';
import { describeRecovery, groupByFolder, lineList, powershellQuote, recoveryFiles, rsyncList, shellQuote, type SourceRecoveryState } from '../../engine/recover/index.ts';
import { tempDir } from '../helpers.ts';
import { ensureTools, mtime, origins, RecoveryFixture, type RecoverSourceJson } from './fixture.ts';

interface Recover {
  dir: string;
  sources: RecoverSourceJson[];
  fetch?: { source: string; status: string; arrived: number; files: number; log: string | null }[];
}
interface PlanItem {
  finding: { id: string; kind: string; rule: string; paths: string[]; evidence: Record<string, unknown> };
  proposal: { action: string; reason: string; operations: { op: string; from: string; to: string }[]; redownload: unknown[] };
}

/** The files a PowerShell recovery script copies: its Copy-Folder lines read back, folder + names. */
function scriptFiles(script: string): string[] {
  const unquote = (text: string) => text.slice(1, -1).replace(/''/g, "'");
  const files: string[] = [];
  for (const line of script.split('\r\n')) {
    const call = /^Copy-Folder ('(?:[^']|'')*') @\((.*)\)$/.exec(line);
    if (!call) continue;
    const folder = unquote(call[1]!).split('\\').join('/');
    for (const name of call[2]!.match(/'(?:[^']|'')*'/g)!) files.push(folder ? `${folder}/${unquote(name)}` : unquote(name));
  }
  return files;
}

describe('quoting and list formats', () => {
  it('quotes for bash (ANSI-C for control characters) and PowerShell (typographic quotes too)', () => {
    expect(shellQuote('plain/path-1.txt')).toBe('plain/path-1.txt');
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
    expect(shellQuote('a\nb')).toBe("$'a\\nb'");
    expect(powershellQuote("It's ‘quoted’")).toBe("'It''s ‘‘quoted’’'");
  });

  it('writes rsync lists NUL-separated, guarding names rsync would read as comments', () => {
    expect(rsyncList(['#a', ';b', 'c d', 'e\nf']).toString()).toBe('./#a\0./;b\0c d\0e\nf\0');
    expect(lineList(['a', 'e\nf', ' lead']).toString()).toBe('a\n lead\n');
    expect(groupByFolder(['x/y/a', 'b', 'x/y/c'])).toEqual([
      { folder: '', names: ['b'] },
      { folder: 'x\\y', names: ['a', 'c'] },
    ]);
  });
});

describe('names with a newline', () => {
  it('leave the one-name-a-line lists and are named apart, each with its own command or quoted', () => {
    const dir = tempDir('reconcile-newline-');
    const file = path.join(dir, 'reconcile.yaml');
    fs.writeFileSync(
      file,
      YAML.stringify({
        space: 'space',
        sources: [
          { id: 'cloud', kind: 'rclone', class: 'cloud', origin: 'm365:_MAIN_FILES', remote: 'm365:', landing: 'mike/cloud' },
          { id: 'usb', kind: 'manual', class: 'local', origin: '/media/usb/', landing: 'mike/usb' },
        ],
      }),
    );
    const config = loadConfig({ file, env: loadEnv({ RECONCILE_DATA_DIR: path.join(dir, 'data') }) });
    const files = ['plain.txt', 'two\nlines.txt', 'carriage\rreturn.txt'];
    const state = (source: string): SourceRecoveryState => ({
      source,
      kind: config.sources.find((each) => each.id === source)!.kind,
      host: null,
      origin: null,
      remote: null,
      target: path.join(config.space, 'inbox/recovery', source),
      entries: files.map((relPath) => ({ path: relPath, reason: 'missing', remedy: null, originPath: relPath, size: 1, finding: 'f' })),
      fetched: [],
      waived: [],
      blocked: [],
      placed: 0,
    });
    const lists = path.join(dir, 'lists');

    const cloud = describeRecovery(config, state('cloud'), lists);
    expect(cloud.command).toBe(`rclone copy m365:_MAIN_FILES ${cloud.target} --files-from-raw ${lists}/cloud.txt --ignore-existing`);
    expect(recoveryFiles(config, cloud, lists).map((each) => [each.name, each.contents.toString()])).toEqual([['cloud.txt', 'plain.txt\n']]);
    expect(cloud.separate.map((each) => each.command)).toEqual([
      `rclone copyto $'m365:_MAIN_FILES/two\\nlines.txt' $'${cloud.target}/two\\nlines.txt' --ignore-existing`,
      `rclone copyto $'m365:_MAIN_FILES/carriage\\rreturn.txt' $'${cloud.target}/carriage\\rreturn.txt' --ignore-existing`,
    ]);
    expect(cloud.instructions.join('\n')).toContain("2 name(s) hold a newline, which an rclone list cannot: fetch each with its own command:\n  rclone copyto $'m365:_MAIN_FILES/two\\nlines.txt'");

    // A manual source's person-readable list leaves them out too; the NUL-separated list has them all.
    const usb = describeRecovery(config, state('usb'), lists);
    expect(usb.command).toBeNull();
    const written = new Map(recoveryFiles(config, usb, lists).map((each) => [each.name, each.contents.toString()]));
    expect(written).toEqual(new Map([['usb.from0', 'plain.txt\0two\nlines.txt\0carriage\rreturn.txt\0'], ['usb.txt', 'plain.txt\n']]));
    expect(usb.instructions).toEqual(
      expect.arrayContaining([`2 name(s) hold a newline, which a one-name-a-line list cannot: they are in ${lists}/usb.from0 (NUL-separated) and here, quoted for bash:`, "  $'two\\nlines.txt'", "  $'carriage\\rreturn.txt'"]),
    );
  });
});

describe.sequential('the recovery loop on real origins', () => {
  const missingTools = ensureTools();
  let fixture: RecoveryFixture;
  const sourceOf = (recover: Recover, id: string) => recover.sources.find((source) => source.source === id)!;
  const plan = () => JSON.parse(fixture.cli(['--json', 'plan']).stdout) as { items: PlanItem[] };
  /** A finding's evidence as written, and as plan, verify and the web app read it back (its kind's schema drops what it does not name). */
  const storedEvidence = (id: string) => {
    const db = openDatabase(path.join(fixture.dataDir, 'reconcile.db'));
    try {
      const row = db.prepare('SELECT kind, evidenceJson FROM Finding WHERE id = ?').get(id) as { kind: string; evidenceJson: string };
      return { written: JSON.parse(row.evidenceJson) as Record<string, unknown>, read: parseStoredEvidence(id, row.kind, row.evidenceJson).evidence };
    } finally {
      db.close();
    }
  };

  beforeAll(() => {
    if (missingTools) return;
    fixture = new RecoveryFixture();
    const scanned = fixture.cli(['scan']);
    expect(scanned.status, scanned.stderr).toBe(0);
  });

  it('lists per source what the space lacks, with reasons, remedies, lists and ready commands', (ctx) => {
    if (missingTools) return ctx.skip(missingTools);
    const recover = fixture.json<Recover>(['recover']);
    const mac = sourceOf(recover, 'mac');
    expect(mac.entries.map(({ path: file, reason }) => [file, reason])).toEqual([
      ['#notes.txt', 'missing'],
      ['Downloads/Private plan.pdf', 'missing'],
      ['db.sqlite', 'corrupt'],
      ['docs/missing.md', 'missing'],
      ['stub.bin', 'placeholder'],
      ['video.mov', 'partial'],
    ]);
    // The TCC block from the transfer log, with what to grant.
    expect(mac.entries[1]!.remedy).toMatch(/macOS privacy protection \(TCC\).*Full Disk Access/);
    expect(mac.target).toBe(fixture.recoveryFolder('mac'));
    expect(fs.readFileSync(mac.list!).toString()).toBe('./#notes.txt\0Downloads/Private plan.pdf\0db.sqlite\0docs/missing.md\0stub.bin\0video.mov\0');
    expect(mac.command).toBe(`rsync -a --from0 --files-from=${mac.list} --ignore-existing ${fixture.root}/origins/mac/ ${fixture.recoveryFolder('mac')}/`);
    expect(mac.push).toBe(`rsync -a --from0 --files-from=mac.from0 --ignore-existing /Users/miket/dev/ motoko:${fixture.recoveryFolder('mac')}/`);

    const cloud = sourceOf(recover, 'cloud');
    expect(cloud.files).toEqual(['a\nb.txt', 'report.docx']);
    expect(fs.readFileSync(cloud.list!, 'utf8')).toBe('report.docx\n');
    expect(cloud.command).toBe(`rclone copy :local:${fixture.root}/origins/cloud ${fixture.recoveryFolder('cloud')} --files-from-raw ${cloud.list} --ignore-existing`);
    expect(cloud.separate).toEqual([
      { path: 'a\nb.txt', argv: expect.any(Array), command: `rclone copyto $':local:${fixture.root}/origins/cloud/a\\nb.txt' $'${fixture.recoveryFolder('cloud')}/a\\nb.txt' --ignore-existing` },
    ]);

    const pc = sourceOf(recover, 'pc');
    expect(pc.command).toBeNull();
    const script = fs.readFileSync(pc.script!);
    expect([...script.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = script.subarray(3).toString('utf8');
    expect(text).toContain(`[string]$Destination = '\\\\motoko\\space\\inbox\\recovery\\pc'`);
    // Exactly the listed files, each of which the origin tree has.
    expect(scriptFiles(text).sort()).toEqual([...pc.files].sort());
    for (const file of scriptFiles(text)) expect(fs.existsSync(path.join(fixture.root, 'origins/pc', file)), file).toBe(true);
    expect(text).toContain("Copy-Folder 'Projects' @('It''s [draft] é.docx')");
  });

  it('flags a fetched file with other bytes and archives it for review, never placing it', (ctx) => {
    if (missingTools) return ctx.skip(missingTools);
    fixture.writeAt(path.join(fixture.recoveryFolder('mac'), 'docs/missing.md'), 'not what the origin holds');
    expect(fixture.cli(['scan']).status).toBe(0);
    const items = plan().items;
    const wrong = items.find((item) => item.finding.rule.startsWith('recovered-') && item.finding.paths[0]!.endsWith('recovery/mac/docs/missing.md'))!;
    expect(wrong.finding.kind).toBe('conflict');
    expect(wrong.finding.rule).toBe('recovered-differs-from-inventory');
    expect(wrong.proposal.action).toBe('quarantine-artifact');
    expect(wrong.proposal.operations.map((op) => op.to)).toEqual([expect.stringContaining('/archive/reconciliation/{run}/inbox/recovery/mac/docs/missing.md')]);
    const missing = items.find((item) => item.finding.kind === 'missing' && item.finding.paths[0]!.endsWith('docs/missing.md'))!;
    expect(missing.proposal.action).toBe('needs-redownload');
    expect(items.flatMap((item) => item.proposal.operations).some((op) => op.to.endsWith('mike/dev/docs/missing.md'))).toBe(false);
    const entry = sourceOf(fixture.json<Recover>(['recover']), 'mac').entries.find((each) => each.path === 'docs/missing.md')!;
    expect(entry.mismatch).toMatchObject({ status: 'size-mismatch' });
    // The recovery evidence survives the database round trip, field for field.
    for (const id of [wrong.finding.id, missing.finding.id]) {
      const { written, read } = storedEvidence(id);
      expect(read, id).toEqual(written);
    }
    expect(storedEvidence(wrong.finding.id).read).toMatchObject({
      recoveredFrom: 'mac',
      relPath: 'docs/missing.md',
      expected: { size: origins.mac['docs/missing.md'].length },
      status: 'size-mismatch',
      match: { expectedSize: origins.mac['docs/missing.md'].length },
    });
    expect(storedEvidence(missing.finding.id).read).toMatchObject({ outstanding: [{ source: 'mac', relPath: 'docs/missing.md', reason: 'missing', mismatch: { status: 'size-mismatch' } }] });

    expect(fixture.cli(['decide', '--approve', wrong.finding.id]).status).toBe(0);
    const applied = fixture.cli(['apply']);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(fs.existsSync(path.join(fixture.recoveryFolder('mac'), 'docs/missing.md'))).toBe(false);
  });

  it('fetches with real rsync and rclone, ingests their logs, and the next plan places what matched', (ctx) => {
    if (missingTools) return ctx.skip(missingTools);
    expect(fixture.cli(['scan']).status).toBe(0);
    const fetched = fixture.json<Recover>(['recover', '--fetch']);
    expect(fetched.fetch!.map(({ source, status, arrived, files }) => [source, status, arrived, files])).toEqual([
      ['mac', 'fetched', 6, 6],
      ['cloud', 'fetched', 2, 2],
      ['pc', 'skipped', 0, 2],
    ]);
    for (const rel of Object.keys(origins.mac).filter((file) => file !== 'keep.txt')) {
      expect(fs.readFileSync(path.join(fixture.recoveryFolder('mac'), rel), 'utf8'), rel).toBe(origins.mac[rel as keyof typeof origins.mac]);
      expect(fs.statSync(path.join(fixture.recoveryFolder('mac'), rel)).mtimeMs).toBe(mtime * 1000);
    }
    expect(fs.readFileSync(path.join(fixture.recoveryFolder('cloud'), 'a\nb.txt'), 'utf8')).toBe(origins.cloud['a\nb.txt']);
    expect(fs.readFileSync(fetched.fetch![0]!.log!, 'utf8')).toContain('>f+++++++++ docs/missing.md');
    // The Windows PC runs its script: here its file list is copied from the origin as robocopy would.
    const pc = sourceOf(fetched, 'pc');
    const script = fs.readFileSync(pc.script!).subarray(3).toString('utf8');
    for (const file of scriptFiles(script)) {
      const from = path.join(fixture.root, 'origins/pc', file);
      const to = path.join(pc.target, file);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
      fs.utimesSync(to, fs.statSync(from).atime, fs.statSync(from).mtime);
    }
    // Meanwhile someone saved a file of their own where one fetched file belongs.
    fixture.writeAt(path.join(fixture.space, "mike/pc/Projects/It's [draft] é.docx"), 'a live edit nobody may lose');

    expect(fixture.cli(['scan']).status).toBe(0);
    const items = plan().items;
    const placing = items.filter((item) => item.proposal.reason.includes('recovered from'));
    expect(placing).toHaveLength(10);
    const to = (rel: string) => placing.flatMap((item) => item.proposal.operations).find((op) => op.from.endsWith(rel))!.to;
    expect(to('recovery/mac/docs/missing.md')).toBe(path.join(fixture.space, 'mike/dev/docs/missing.md'));
    expect(to('recovery/cloud/a\nb.txt')).toBe(path.join(fixture.space, 'mike/cloud/a\nb.txt'));
    expect(to('recovery/pc/Projects/It\'s [draft] é.docx')).toContain(`/inbox/reconciliation/runs/{run}/conflicts/inbox/recovery/pc/Projects/It's [draft] é.docx`);
    expect(to('deep.txt')).toBe(path.join(fixture.space, 'mike/pc', Object.keys(origins.pc)[2]!));
    // The stand-ins go to the archive first, then the fetched copies take their places.
    const video = placing.find((item) => item.finding.kind === 'partial')!;
    expect(video.proposal.operations.map((op) => [op.from, op.to])).toEqual([
      [path.join(fixture.space, 'mike/dev/video.mov'), expect.stringContaining('/archive/reconciliation/{run}/mike/dev/video.mov')],
      [path.join(fixture.recoveryFolder('mac'), 'video.mov'), path.join(fixture.space, 'mike/dev/video.mov')],
    ]);
    for (const item of placing) {
      const { written, read } = storedEvidence(item.finding.id);
      expect(read, item.finding.rule).toEqual(written);
    }
    expect(storedEvidence(video.finding.id).read).toMatchObject({
      outstanding: [{ reason: 'partial', recovered: { match: { strength: 'strong' }, placement: { to: 'place', path: path.join(fixture.space, 'mike/dev/video.mov'), replaces: 'stand-in' } } }],
    });
    const status = fixture.json<Recover>(['recover']);
    expect(status.sources.map((source) => [source.source, source.counts.outstanding, source.counts.fetched])).toEqual([
      ['mac', 0, 6],
      ['cloud', 0, 2],
      ['pc', 0, 2],
    ]);
  });

  it('places through the normal apply, leaves the live file alone, and rolls back', (ctx) => {
    if (missingTools) return ctx.skip(missingTools);
    expect(fixture.cli(['decide', '--approve-all']).status).toBe(0);
    const applied = fixture.json<{ summary: { done: number; skipped: number; failed: number }; run: { id: string } }>(['apply']);
    expect(applied.summary).toMatchObject({ skipped: 0, failed: 0 });
    for (const [rel, content] of Object.entries(origins.mac)) expect(fs.readFileSync(path.join(fixture.space, 'mike/dev', rel), 'utf8'), rel).toBe(content);
    expect(fs.readFileSync(path.join(fixture.space, 'mike/cloud/a\nb.txt'), 'utf8')).toBe(origins.cloud['a\nb.txt']);
    expect(fs.readFileSync(path.join(fixture.space, "mike/pc/Projects/It's [draft] é.docx"), 'utf8')).toBe('a live edit nobody may lose');
    expect(fixture.cli(['scan']).status).toBe(0);
    const after = fixture.json<Recover>(['recover']);
    expect(after.sources.map((source) => [source.source, source.counts.outstanding, source.counts.fetched, source.counts.placed])).toEqual([
      ['mac', 0, 0, 6],
      ['cloud', 0, 0, 2],
      ['pc', 0, 0, 2],
    ]);
    const rolledBack = fixture.json<{ status: string; refused: unknown[] }>(['rollback', applied.run.id]);
    expect(rolledBack).toMatchObject({ status: 'rolled-back', refused: [] });
    expect(fs.readFileSync(path.join(fixture.recoveryFolder('mac'), 'video.mov'), 'utf8')).toBe(origins.mac['video.mov']);
    expect(fs.readFileSync(path.join(fixture.space, 'mike/dev/video.mov'), 'utf8')).toBe(origins.mac['video.mov'].slice(0, 1600));
    expect(fs.readFileSync(path.join(fixture.space, "mike/pc/Projects/It's [draft] é.docx"), 'utf8')).toBe('a live edit nobody may lose');
  });
});
