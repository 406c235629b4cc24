/** `reconcile demo`: writes the scenario, refuses to overwrite, replaces only an earlier scenario with --force. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExpected } from '../../engine/scenario/index.ts';
import { runCli, tempDir } from '../helpers.ts';

describe('reconcile demo', () => {
  it('writes the scenario into the data folder by default and prints the next steps', () => {
    const dataDir = tempDir('demo-data-');
    const result = runCli(['demo'], { dataDir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const dir = path.join(dataDir, 'demo');
    expect(result.stdout).toContain(path.join(dir, 'reconcile.yaml'));
    expect(result.stdout).toMatch(/reconcile --config \S+reconcile\.yaml scan/);
    expect(result.stdout).toMatch(/the recovery loop, walked on this machine \(18 origin entries to fetch\)/);
    expect(result.stdout).toMatch(/reconcile --config \S+reconcile\.yaml recover --fetch /);
    expect(readExpected(path.join(dir, 'expected.json')).seed).toBe(1);
  });

  it('prints {dir, config, counts} with --json, honouring --out, --seed and --scale', () => {
    const dataDir = tempDir('demo-data-');
    const out = path.join(tempDir('demo-out-'), 'scenario');
    const result = runCli(['demo', '--json', '--out', out, '--seed', '42', '--scale', '2'], { dataDir });
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout) as { dir: string; config: string; counts: { files: number; findings: Record<string, number> } };
    expect(printed.dir).toBe(out);
    expect(printed.config).toBe(path.join(out, 'reconcile.yaml'));
    const expected = readExpected(path.join(out, 'expected.json'));
    expect(expected).toMatchObject({ seed: 42, scale: 2 });
    expect(printed.counts).toEqual(expected.counts);
    const progress = result.stderr.trimEnd().split('\n').map((line) => JSON.parse(line) as { event: string; done: number; total: number });
    expect(progress.every((event) => event.event === 'progress')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: progress.at(-1)!.total });
  });

  it('refuses a non-empty folder without --force and replaces an earlier scenario with it', () => {
    const dataDir = tempDir('demo-data-');
    const out = tempDir('demo-out-');
    expect(runCli(['demo', '--out', out, '--seed', '1'], { dataDir }).status).toBe(0);
    const refused = runCli(['demo', '--out', out, '--seed', '2'], { dataDir });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('is not empty; pass --force');
    expect(refused.stderr).not.toMatch(/\bat \S+:\d+/);
    expect(readExpected(path.join(out, 'expected.json')).seed).toBe(1);
    const forced = runCli(['demo', '--out', out, '--seed', '2', '--force'], { dataDir });
    expect(forced.status).toBe(0);
    expect(readExpected(path.join(out, 'expected.json')).seed).toBe(2);
  });

  it('never clears a folder that does not hold a scenario, even with --force', () => {
    const dataDir = tempDir('demo-data-');
    const out = tempDir('demo-out-');
    fs.writeFileSync(path.join(out, 'precious.txt'), 'keep me');
    const result = runCli(['demo', '--out', out, '--force', '--json'], { dataDir });
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout).error).toContain('does not hold a demo scenario');
    expect(fs.readFileSync(path.join(out, 'precious.txt'), 'utf8')).toBe('keep me');
  });

  it('says clearly when the folder cannot be written', () => {
    const out = path.join(tempDir('demo-out-'), 'dangling');
    fs.symlinkSync(path.join(path.dirname(out), 'gone/deeper'), out);
    const result = runCli(['demo', '--out', out], { dataDir: tempDir('demo-data-') });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`reconcile: cannot write the demo scenario to ${out}: ENOENT`);
    expect(result.stderr).not.toContain('internal error');
  });

  it('rejects a bad --scale with a clear message', () => {
    const result = runCli(['demo', '--scale', '0', '--out', path.join(tempDir(), 'x')], { dataDir: tempDir('demo-data-') });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--scale/);
  });
});
