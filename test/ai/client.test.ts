// The gateway client on its own: every way a gateway can fail ends in a typed result, never a throw.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatCompletion, type AiSettings } from '../../lib/ai/client.ts';
import { listenInRange, startTestGateway, type TestGateway } from './openai-test-server.ts';

/**
 * This file's loopback ports: its own slice of the docs/AI range (3200-3249), so the closed port of
 * the "unreachable" test cannot be taken by another test file's gateway meanwhile.
 */
const ports: [number, number] = [3240, 3249];

let gateway: TestGateway;
const settings = (overrides: Partial<AiSettings> = {}): AiSettings => ({ baseUrl: gateway.baseUrl, model: 'm', timeoutMs: 500, maxExcerptBytes: 100, ...overrides });
const messages = [{ role: 'user' as const, content: 'hello' }];

beforeAll(async () => {
  gateway = await startTestGateway(ports);
});
afterAll(() => gateway.close());

describe('chatCompletion', () => {
  it('returns the first choice and the model the gateway names, without a key header when none is set', async () => {
    gateway.behaviour = 'advice';
    gateway.answer = 'fine';
    expect(await chatCompletion(settings({ baseUrl: `${gateway.baseUrl}/` }), messages)).toEqual({ ok: true, text: 'fine', model: 'm' });
    expect(gateway.requests.at(-1)!.url).toBe('/v1/chat/completions');
    expect(gateway.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('stops reading an oversized reply', async () => {
    gateway.behaviour = 'huge';
    expect(await chatCompletion(settings({ timeoutMs: 5000 }), messages)).toMatchObject({ ok: false, reason: 'bad-response' });
  });

  it('says "unreachable" when nothing listens, without the key in the message', async () => {
    const closed = http.createServer();
    const port = await listenInRange(closed, ports);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await chatCompletion(settings({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-never-shown-1234567890' }), messages);
    expect(result).toMatchObject({ ok: false, reason: 'unreachable' });
    expect(JSON.stringify(result)).not.toContain('sk-never-shown');
  });

  it('does not follow redirects (a gateway login page is not advice)', async () => {
    const redirecting = http.createServer((_request, response) => response.writeHead(302, { location: 'http://127.0.0.1:1/login' }).end());
    const port = await listenInRange(redirecting, ports);
    const result = await chatCompletion(settings({ baseUrl: `http://127.0.0.1:${port}/v1` }), messages);
    redirecting.close();
    expect(result).toMatchObject({ ok: false });
  });
});
