/**
 * A fetch killed half-way (SIGKILL to the whole process group: reconcile and rsync alike) leaves
 * rsync's temp file in the recovery folder; fetching again completes the file, the temp file is
 * archived through review, the whole one placed, and nothing is left to fetch.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from '../helpers.ts';
import { ensureTools } from './fixture.ts';

describe('a killed fetch', () => {
  it('converges when run again: the whole file placed, the temp file archived', async (ctx) => {
    const missingTools = ensureTools();
    if (missingTools) return ctx.skip(missingTools);
    const root = tempDir('reconcile-kill-');
    const dataDir = path.join(root, 'data');
    const big = Buffer.alloc(48 * 1024 * 1024);
    for (let offset = 0; offset < big.length; offset += 4096) big.writeUInt32LE(offset, offset);
    fs.mkdirSync(path.join(root, 'origin/videos'), { recursive: true });
    fs.writeFileSync(path.join(root, 'origin/videos/big.bin'), big);
    fs.writeFileSync(path.join(root, 'origin/small.txt'), 'small');
    fs.mkdirSync(path.join(root, 'space/mike/dev'), { recursive: true });
    expect(runCli(['manifest', path.join(root, 'origin'), '--hash', '--out', path.join(root, 'origin.jsonl.gz')], { dataDir }).status).toBe(0);
    const config = path.join(root, 'reconcile.yaml');
    fs.writeFileSync(
      config,
      YAML.stringify({
        space: 'space',
        sources: [{ id: 'mac', host: 'count-zero', kind: 'rsync', class: 'local', origin: '/Users/miket/dev/', landing: 'mike/dev', manifest: 'origin.jsonl.gz', reach: 'origin' }],
      }),
    );
    const cli = (args: string[]) => runCli(['--config', config, ...args], { dataDir });
    expect(cli(['scan']).status).toBe(0);
    expect(cli(['recover']).status).toBe(0);

    // The real rsync, slowed down so the kill lands mid-file.
    const slow = path.join(root, 'bin');
    fs.mkdirSync(slow);
    fs.writeFileSync(path.join(slow, 'rsync'), `#!/bin/sh\nexec ${fs.realpathSync('/usr/bin/rsync')} --bwlimit=4000 "$@"\n`, { mode: 0o755 });
    const fetching = spawn(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), '--config', config, '--quiet', 'recover', '--fetch'], {
      cwd: repoRoot,
      detached: true,
      stdio: 'ignore',
      env: { PATH: `${slow}:${process.env.PATH}`, HOME: process.env.HOME, RECONCILE_DATA_DIR: dataDir, NODE_ENV: 'production' },
    });
    const folder = path.join(root, 'space/inbox/recovery/mac/videos');
    const temp = async (): Promise<string | undefined> => {
      for (let attempt = 0; attempt < 600; attempt += 1) {
        const name = fs.existsSync(folder) ? fs.readdirSync(folder).find((each) => each.startsWith('.big.bin.')) : undefined;
        if (name && fs.statSync(path.join(folder, name)).size > 1024 * 1024) return name;
        await sleep(50);
      }
      return undefined;
    };
    const tempName = await temp();
    expect(tempName, 'rsync writes its temp file').toBeDefined();
    process.kill(-fetching.pid!, 'SIGKILL');
    await new Promise((resolve) => fetching.on('close', resolve));
    expect(fs.existsSync(path.join(folder, 'big.bin'))).toBe(false);

    const again = JSON.parse(cli(['--json', 'recover', '--fetch']).stdout) as { fetch: { status: string; arrived: number }[] };
    expect(again.fetch).toEqual([expect.objectContaining({ status: 'fetched', arrived: 2 })]);
    expect(fs.readFileSync(path.join(folder, 'big.bin')).equals(big)).toBe(true);
    expect(fs.existsSync(path.join(folder, tempName!))).toBe(true);

    expect(cli(['scan']).status).toBe(0);
    const plan = JSON.parse(cli(['--json', 'plan']).stdout) as { items: { finding: { rule: string; paths: string[] }; proposal: { action: string; operations: { to: string }[] } }[] };
    const leftover = plan.items.find((item) => item.finding.rule === 'recovered-temp-file')!;
    expect(leftover.finding.paths).toEqual([path.join(folder, tempName!)]);
    expect(leftover.proposal.operations[0]!.to).toContain('/archive/reconciliation/{run}/inbox/recovery/mac/videos/.big.bin.');
    expect(plan.items.filter((item) => item.proposal.operations.some((op) => op.to === path.join(root, 'space/mike/dev/videos/big.bin')))).toHaveLength(1);

    expect(cli(['decide', '--approve-all']).status).toBe(0);
    expect(cli(['apply']).status).toBe(0);
    expect(cli(['scan']).status).toBe(0);
    const settled = JSON.parse(cli(['--json', 'recover']).stdout) as { sources: { counts: { outstanding: number; fetched: number; placed: number } }[] };
    expect(settled.sources[0]!.counts).toMatchObject({ outstanding: 0, fetched: 0, placed: 2 });
    expect(fs.readFileSync(path.join(root, 'space/mike/dev/videos/big.bin')).equals(big)).toBe(true);
    expect(fs.readdirSync(folder)).toEqual([]);
  }, 240_000);
});
