/**
 * scripts/reconcile-multi-source-transfers.sh as the playbook runs it: run, recover --fetch, verify,
 * the entry in the communication log; its own log; the verify outcome as its exit status; re-runnable.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFrontMatter } from '../docs/front-matter.ts';
import { repoRoot } from '../helpers.ts';
import { ensureTools, RecoveryFixture } from './fixture.ts';

describe('scripts/reconcile-multi-source-transfers.sh', () => {
  it('runs the loop once per call, logs it, keeps the comms log, and exits with the outcome', (ctx) => {
    const missingTools = ensureTools();
    if (missingTools) return ctx.skip(missingTools);
    const fixture = new RecoveryFixture();
    const commsLog = path.join(fixture.root, 'docs/COMMUNICATION_LOG.md');
    const logDir = path.join(fixture.root, 'transfer-logs');
    const script = (...args: string[]) =>
      spawnSync('bash', [path.join(repoRoot, 'scripts/reconcile-multi-source-transfers.sh'), ...args], {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'production',
          RCLONE_CONFIG: '/dev/null',
          RECONCILE_BIN: `${process.execPath} ${path.join(repoRoot, 'bin/reconcile.js')}`,
          RECONCILE_DATA_DIR: fixture.dataDir,
          RECONCILE_CONFIG: fixture.config,
        },
        timeout: 240_000,
      });

    const first = script('--fetch', '--comms-log', commsLog, '--log-dir', logDir);
    // Fetched files wait for their placement and the PC's script has not run: outstanding.
    expect(first.status, first.stdout + first.stderr).toBe(3);
    expect(first.stdout).toMatch(/== \S+ reconcile run\n/);
    expect(first.stdout).toContain('== ');
    expect(first.stdout).toMatch(/outcome: outstanding/);
    const [log] = fs.readdirSync(logDir);
    expect(log).toMatch(/^multi-source-transfers-\d{8}T\d{6}Z\.log$/);
    expect(fs.readFileSync(path.join(logDir, log!), 'utf8')).toContain('reconcile recover --fetch');
    expect(fs.existsSync(path.join(fixture.recoveryFolder('mac'), 'docs/missing.md'))).toBe(true);
    const front = readFrontMatter(fs.readFileSync(commsLog, 'utf8'));
    expect(front.ok).toBe(true);

    // Re-runnable: the next call places nothing unapproved and repeats no log entry.
    const second = script('--comms-log', commsLog, '--log-dir', logDir);
    expect(second.status).toBe(3);
    const text = fs.readFileSync(commsLog, 'utf8');
    expect(text.match(/^## /gm)).toHaveLength(1);
    expect(script('--bogus').status).toBe(2);
  }, 300_000);
});
