// route() reads a JSON body no further than its cap, whether or not the request says how long it is.
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

vi.mock('server-only', () => ({}));
vi.mock('../auth/actor.ts', () => ({
  currentActor: async () => ({ id: 'local', email: 'local@localhost', name: 'Local operator', roles: ['admin'], mode: 'local' }),
}));
const { defaultMaxBodyBytes, route } = await import('./route.ts');

const context = { params: Promise.resolve({}) };
const handler = route({ role: 'reviewer', body: z.object({ note: z.string() }) }, async ({ body }) => ({ length: body.note.length }));
const small = route({ role: 'reviewer', body: z.object({ note: z.string() }), maxBodyBytes: 64 }, async ({ body }) => ({ length: body.note.length }));

function post(body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  return new Request('http://127.0.0.1/api/x', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, duplex: 'half' } as RequestInit);
}

/** A body sent in chunks with no Content-Length, as a chunked upload would be. */
function chunked(text: string, chunkBytes = 64 * 1024): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text);
  let offset = 0;
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      pulled += 1;
      controller.enqueue(bytes.subarray(offset, (offset += chunkBytes)));
    },
  });
  return Object.assign(stream, { pulled: () => pulled });
}

describe('request bodies', () => {
  const json = (size: number) => JSON.stringify({ note: 'x'.repeat(size) });

  it('accepts a body under the cap', async () => {
    const response = await handler(post(json(1000)), context);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ length: 1000 });
  });

  it('refuses a body over the cap by its Content-Length, with 413', async () => {
    const response = await handler(post(json(defaultMaxBodyBytes)), context);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: 'payload_too_large', message: `the request body is larger than ${defaultMaxBodyBytes} bytes` } });
  });

  it('stops reading a body without Content-Length once it passes the cap', async () => {
    const body = chunked(json(8 * defaultMaxBodyBytes)) as ReadableStream<Uint8Array> & { pulled(): number };
    const response = await handler(post(body), context);
    expect(response.status).toBe(413);
    // 1 MiB in 64 KiB chunks: it read a little past the cap, not the 8 MiB sent.
    expect(body.pulled()).toBeLessThan(20);
  });

  it('lets a route choose its own cap', async () => {
    expect((await small(post(json(10)), context)).status).toBe(200);
    expect((await small(post(json(100)), context)).status).toBe(413);
    expect((await small(post('{not json'), context)).status).toBe(400);
  });
});
