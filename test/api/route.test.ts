// route() on its own (local mode, so the caller is the local operator): an engine refusal
// (UserError) answers 409 with its message; any other error answers a bare 500 and goes, with its
// stack and without secrets, to the log file instead of the terminal.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers.ts';

vi.mock('server-only', () => ({}));

const dataDir = tempDir('reconcile-route-');
process.env.RECONCILE_DATA_DIR = dataDir;
process.env.RECONCILE_AUTH = 'local';
delete process.env.RECONCILE_CONFIG;

const { route } = await import('../../lib/api/route.ts');
const { UserError } = await import('../../engine/config/index.ts');

const call = (handler: () => Promise<unknown>) =>
  route({ role: 'viewer' }, handler)(new Request('http://127.0.0.1/api/probe', { headers: { host: '127.0.0.1' } }), { params: Promise.resolve({}) });

describe('route()', () => {
  it("answers an engine refusal with 409 and the engine's message", async () => {
    const response = await call(async () => {
      throw new UserError('nothing is approved yet');
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'conflict', message: 'nothing is approved yet' } });
  });

  it('answers any other error with a bare 500 and logs it, redacted, to the log file', async () => {
    const stderr = vi.spyOn(console, 'error');
    const response = await call(async () => {
      throw Object.assign(new Error('the disk caught fire'), { token: 'sk-live-secret' });
    });
    expect(response.status).toBe(500);
    const body = JSON.stringify(await response.json());
    expect(body).not.toContain('fire');
    expect(stderr).not.toHaveBeenCalled();
    const lines = fs.readFileSync(path.join(dataDir, 'logs/reconcile.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.at(-1)).toMatchObject({ level: 50, msg: 'route handler failed', method: 'GET', path: '/api/probe', err: { message: 'the disk caught fire' } });
    expect(JSON.stringify(lines)).not.toContain('sk-live-secret');
  });
});
