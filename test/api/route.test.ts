// route() on its own (local mode, so the caller is the local operator): an engine refusal
// (UserError) answers 409 with its message.
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers.ts';

vi.mock('server-only', () => ({}));

const dataDir = tempDir('reconcile-route-');
process.env.RECONCILE_DATA_DIR = dataDir;
delete process.env.RECONCILE_CONFIG;

const { route } = await import('../../lib/api/route.ts');
const { UserError } = await import('../../engine/config/index.ts');

const call = (handler: () => Promise<unknown>) =>
  route({ role: 'viewer' }, handler)(new Request('http://127.0.0.1/api/probe'), { params: Promise.resolve({}) });

describe('route()', () => {
  it("answers an engine refusal with 409 and the engine's message", async () => {
    const response = await call(async () => {
      throw new UserError('nothing is approved yet');
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'conflict', message: 'nothing is approved yet' } });
  });
});
