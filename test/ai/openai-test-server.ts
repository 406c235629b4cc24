/**
 * A local stand-in for an OpenAI-compatible gateway (LiteLLM): records every request and answers
 * as the current test tells it to — with advice, slowly, with an error status, or with garbage.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour = 'advice' | 'slow' | 'status-500' | 'not-json' | 'no-choices' | 'huge';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestGateway {
  baseUrl: string;
  requests: ReceivedRequest[];
  behaviour: Behaviour;
  answer: string;
  close(): Promise<void>;
}

/** Starts the gateway on the first free loopback port of the range this suite may use. */
export async function startTestGateway(ports: [number, number]): Promise<TestGateway> {
  const gateway: Omit<TestGateway, 'baseUrl' | 'close'> = { requests: [], behaviour: 'advice', answer: 'Near-duplicate: likely\nVersion B rewrites every line.' };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      gateway.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const send = (status: number, text: string) => response.writeHead(status, { 'content-type': 'application/json' }).end(text);
      switch (gateway.behaviour) {
        case 'advice': {
          const model = (JSON.parse(body) as { model: string }).model;
          send(200, JSON.stringify({ id: 'cmpl-1', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: gateway.answer } }] }));
          break;
        }
        case 'slow':
          setTimeout(() => send(200, '{}'), 3_000).unref();
          break;
        case 'status-500':
          send(500, '{"error":{"message":"upstream exploded"}}');
          break;
        case 'not-json':
          send(200, '<html>gateway login</html>');
          break;
        case 'huge':
          // A well-formed reply far over any sane size: the client must stop reading it.
          send(200, JSON.stringify({ model: 'x', choices: [{ message: { content: 'x'.repeat(2 * 1024 * 1024) } }] }));
          break;
        case 'no-choices':
          send(200, JSON.stringify({ model: 'x', choices: [] }));
          break;
      }
    });
  });
  const port = await listenInRange(server, ports);
  return Object.assign(gateway as TestGateway, {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** Listens on the first free loopback port of the range (test files run in parallel and share it). */
export async function listenInRange(server: http.Server, ports: [number, number]): Promise<number> {
  for (let port = ports[0]; port <= ports[1]; port += 1) {
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (listening) return (server.address() as AddressInfo).port;
  }
  throw new Error(`no free port in ${ports[0]}-${ports[1]}`);
}
