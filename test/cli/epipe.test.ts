// A reader that stops early (`reconcile findings --json | head`) must not turn into a crash.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from '../helpers.ts';

describe('output to a closed pipe', () => {
  it('ends quietly with success', () => {
    const dataDir = tempDir();
    const config = path.join(dataDir, 'demo', 'reconcile.yaml');
    expect(runCli(['--json', 'demo', '--out', path.join(dataDir, 'demo')], { dataDir }).status).toBe(0);
    expect(runCli(['--json', '--config', config, 'scan'], { dataDir }).status).toBe(0);
    // The findings document (over 100 KB) outlasts the pipe buffer, so writing it meets EPIPE.
    const cli = path.join(repoRoot, 'bin/reconcile.js');
    const script = `set -o pipefail; node ${cli} --config ${config} findings --json 2>${dataDir}/err | head -c 1 >/dev/null; echo "status=$?"; cat ${dataDir}/err`;
    const result = spawnSync('bash', ['-c', script], {
      encoding: 'utf8',
      env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, RECONCILE_DATA_DIR: dataDir },
    });
    // Nothing on stderr but the --json progress lines: no EPIPE error, no stack trace.
    const [status, ...stderr] = result.stdout.trimEnd().split('\n');
    expect(status).toBe('status=0');
    for (const line of stderr) expect(JSON.parse(line), line).toMatchObject({ event: 'progress' });
  });
});
