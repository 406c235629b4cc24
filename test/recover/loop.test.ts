/**
 * The recovery loop end to end on the demo scenario, as the owner walks it: approve everything,
 * apply, verify says outstanding; run the tool's own recovery commands against the origin trees
 * (rsync and rclone for real; the robocopy script's file list checked against the origin and
 * copied as robocopy would), with one fetched file planted wrong (the origin's size and mtime,
 * other bytes); scan, plan: the wrong one flagged, the rest proposed; approve, apply: it is archived,
 * never placed; the same command again; verify says complete, nothing unaccounted, nothing lost;
 * the placements roll back.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { readExpected } from '../../engine/scenario/index.ts';
import { runCli, tempDir, type CliResult } from '../helpers.ts';
import { ensureTools, type RecoverSourceJson } from './fixture.ts';

interface PlanItem {
  finding: { rule: string; paths: string[] };
  proposal: { operations: { from: string; to: string }[] };
}

interface VerifyJson {
  outcome: string;
  origins: { entries: number; outstanding: { files: number }; sources: { source: string; outstanding: { files: number }; sample: { relPath: string }[] }[] };
  conservation: { lostCount: number };
}

/** The Copy-Folder calls of a recovery script: the origin-relative files it copies. */
function scriptFiles(script: Buffer): string[] {
  const text = script.subarray(3).toString('utf8');
  const unquote = (quoted: string) => quoted.slice(1, -1).replace(/''/g, "'");
  return [...text.matchAll(/^Copy-Folder ('(?:[^']|'')*') @\((.*)\)\r$/gm)].flatMap(([, folder, names]) => {
    const base = unquote(folder!).split('\\').join('/');
    return names!.match(/'(?:[^']|'')*'/g)!.map((name) => (base ? `${base}/${unquote(name)}` : unquote(name)));
  });
}

function loop(scale: number, timeout: number) {
  it(`at scale ${scale}: outstanding, then the recovery commands, then complete`, (ctx) => {
    const missingTools = ensureTools();
    if (missingTools) return ctx.skip(missingTools);
    const root = tempDir(`reconcile-loop-${scale}-`);
    const dataDir = path.join(root, 'data');
    const demo = path.join(root, 'demo');
    expect(runCli(['demo', '--out', demo, '--scale', String(scale)], { dataDir }).status).toBe(0);
    const expected = readExpected(path.join(demo, 'expected.json'));
    const cli = (args: string[]): CliResult => runCli(['--config', path.join(demo, 'reconcile.yaml'), ...args], { dataDir, env: { RCLONE_CONFIG: '/dev/null' } });
    const ok = (args: string[]) => {
      const result = cli(args);
      expect(result.status, `reconcile ${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(0);
      return result;
    };
    const verify = (): { status: number; json: VerifyJson } => {
      const result = cli(['--json', 'verify']);
      return { status: result.status, json: JSON.parse(result.stdout) as VerifyJson };
    };

    ok(['scan']);
    ok(['plan']);
    ok(['decide', '--approve-all']);
    ok(['run']);
    const before = verify();
    expect(before.json.outcome).toBe('outstanding');
    expect(before.status).toBe(3);
    expect(before.json.conservation.lostCount).toBe(0);

    const recover = JSON.parse(ok(['--json', 'recover']).stdout) as { sources: RecoverSourceJson[] };
    const listed = recover.sources.flatMap((source) => source.entries.map((entry) => `${source.source} ${entry.reason} ${entry.path}`)).sort();
    expect(listed).toEqual(expected.recovery.map((entry) => `${entry.source} ${entry.reason} ${entry.path}`).sort());
    // Verify counts origin entries: two sources landing in one folder (the Mac's OneDrive, the M365
    // copy) each list a stub there, which one fetch answers. Every outstanding entry is on a list,
    // its own source's or that of a source sharing its landing.
    const config = YAML.parse(fs.readFileSync(path.join(demo, 'reconcile.yaml'), 'utf8')) as { sources: { id: string; landing: string }[] };
    const landingOf = new Map(config.sources.map((source) => [source.id, source.landing]));
    const onList = new Set(recover.sources.flatMap((source) => source.files.map((file) => `${landingOf.get(source.source)}\0${file}`)));
    for (const account of before.json.origins.sources) {
      expect(account.outstanding.files).toBeGreaterThanOrEqual(recover.sources.find((source) => source.source === account.source)!.files.length);
      for (const entry of account.sample) expect(onList.has(`${landingOf.get(account.source)}\0${entry.relPath}`), `${account.source} ${entry.relPath}`).toBe(true);
    }

    /** What the owner runs: each source's command (rsync, rclone for real), the PC's script read back and copied as robocopy would. */
    const fetchFrom = (sources: RecoverSourceJson[]) => {
      for (const source of sources.filter((each) => each.files.length > 0)) {
        if (source.kind === 'robocopy') {
          const files = scriptFiles(fs.readFileSync(source.script!));
          expect(files.sort()).toEqual([...source.files].sort());
          for (const file of files) {
            const from = path.join(demo, 'origins', source.source, file);
            expect(fs.existsSync(from), `${source.source} ${file}`).toBe(true);
            const to = path.join(source.target, file);
            fs.mkdirSync(path.dirname(to), { recursive: true });
            fs.copyFileSync(from, to);
            fs.utimesSync(to, fs.statSync(from).atime, fs.statSync(from).mtime);
          }
          continue;
        }
        for (const command of [source.command!, ...source.separate.map((each) => each.command)]) {
          const run = spawnSync('bash', ['-c', command], { encoding: 'utf8', env: { ...process.env, RCLONE_CONFIG: '/dev/null' } });
          expect(run.status, `${command}\n${run.stderr}`).toBe(0);
        }
      }
    };
    const approveAndRun = () => {
      ok(['decide', '--approve-all']);
      const run = JSON.parse(ok(['--json', 'run']).stdout) as { apply: { runId: string; summary: { failed: number; skipped: number } } };
      expect(run.apply.summary).toMatchObject({ failed: 0, skipped: 0 });
      return run.apply.runId;
    };
    const total = (sources: RecoverSourceJson[], count: keyof RecoverSourceJson['counts']) => sources.reduce((sum, source) => sum + source.counts[count], 0);
    fetchFrom(recover.sources);

    // A planted wrong file: the origin's size and mtime, other bytes. Only the inventory's hash tells.
    const mac = recover.sources.find((source) => source.kind === 'rsync' && source.files.length > 0)!;
    const plantedRel = mac.files.find((file) => fs.statSync(path.join(mac.target, file)).size > 0)!;
    const planted = path.join(mac.target, plantedRel);
    const whole = fs.readFileSync(planted);
    const { atime, mtime } = fs.statSync(planted);
    fs.writeFileSync(planted, Buffer.from(whole.map((byte, index) => (index === 0 ? byte ^ 0xff : byte))));
    fs.utimesSync(planted, atime, mtime);

    ok(['scan']);
    const plan = JSON.parse(ok(['--json', 'plan']).stdout) as { items: PlanItem[] };
    const flagged = plan.items.filter((item) => item.finding.rule.startsWith('recovered-'));
    expect(flagged.map((item) => [item.finding.rule, item.finding.paths[0]])).toEqual([['recovered-other-bytes', planted]]);
    const fromPlanted = plan.items.flatMap((item) => item.proposal.operations).filter((op) => op.from === planted);
    expect(fromPlanted.length).toBeGreaterThan(0);
    for (const op of fromPlanted) expect(op.to, 'the wrong file goes nowhere but the archive').toContain('/archive/');
    const fetched = JSON.parse(ok(['--json', 'recover']).stdout) as { sources: RecoverSourceJson[] };
    expect(total(fetched.sources, 'fetched')).toBe(expected.recovery.length - 1);
    expect(fetched.sources.flatMap((source) => source.entries.map((entry) => [source.source, entry.path, entry.mismatch?.file ?? null]))).toEqual([[mac.source, plantedRel, expect.stringContaining(plantedRel)]]);
    // Fetched but not yet placed: still outstanding for verification.
    expect(verify().json.outcome).toBe('outstanding');

    const firstPlacement = approveAndRun();
    expect(fs.existsSync(planted), 'the wrong file was archived through review').toBe(false);
    const short = verify();
    expect(short.json.outcome).toBe('outstanding');
    expect(short.json.origins.outstanding.files).toBe(1);
    expect(short.json.origins.sources.find((account) => account.source === mac.source)!.sample.map((entry) => entry.relPath)).toEqual([plantedRel]);

    // The same command again brings the whole file (nothing else is copied twice).
    fetchFrom(JSON.parse(ok(['--json', 'recover']).stdout).sources as RecoverSourceJson[]);
    expect(fs.readFileSync(planted).equals(whole)).toBe(true);
    ok(['scan']);
    ok(['plan']);
    const secondPlacement = approveAndRun();
    const after = verify();
    expect(after.json.outcome, JSON.stringify(after.json.origins.sources)).toBe('complete');
    expect(after.status).toBe(0);
    expect(after.json.origins.outstanding.files).toBe(0);
    expect(after.json.conservation.lostCount).toBe(0);
    const settled = JSON.parse(ok(['--json', 'recover']).stdout) as { sources: RecoverSourceJson[] };
    expect(total(settled.sources, 'placed')).toBe(expected.recovery.length);
    expect(total(settled.sources, 'outstanding')).toBe(0);

    // The placements roll back like any run, the later first: the fetched files return to the
    // recovery folders. The wrong file the first run archived stays archived: the good copy holds
    // its old path now, and a rollback never renames onto an existing path.
    const rollback = (runId: string) => JSON.parse(cli(['--json', 'rollback', runId]).stdout) as { status: string; refused: { path: string }[] };
    expect(rollback(secondPlacement)).toMatchObject({ status: 'rolled-back', refused: [] });
    expect(rollback(firstPlacement)).toMatchObject({ status: 'partial', refused: [{ path: planted }] });
    expect(fs.readFileSync(planted).equals(whole)).toBe(true);
    for (const entry of expected.recovery) expect(fs.existsSync(path.join(demo, 'space/inbox/recovery', entry.source, entry.path)), `${entry.source} ${entry.path}`).toBe(true);
  }, timeout);
}

describe('the recovery loop on the demo scenario', () => {
  loop(1, 300_000);
  loop(10, 900_000);
});
