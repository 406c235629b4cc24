/**
 * Upload routes (under /api/uploads/) stream their body to disk, so proxy.ts does not run for them
 * (Next.js would read the whole body into memory first). This gate runs the same checks the
 * interceptor would — loopback host in local mode, same-origin mutation, Cloudflare Access,
 * session, a role — and adds the same security headers; the route itself then checks its role.
 */
import 'server-only';
import { NextRequest } from 'next/server';
import { refusal } from '../../proxy.ts';
import { accessSettings } from '../auth/settings.ts';
import { apiContentSecurityPolicy, securityHeaders } from '../auth/request-guard.ts';

type Handler<C> = (request: Request, context: C) => Promise<Response>;

export function uploadGate<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    const settings = accessSettings();
    // The checks read the address, method and headers only: a copy without the body, which stays the route's to stream.
    const head = new NextRequest(request.url, { method: request.method, headers: request.headers });
    const response = (await refusal(head, settings)) ?? (await handler(request, context));
    for (const [name, value] of Object.entries(securityHeaders(apiContentSecurityPolicy, settings.origin?.startsWith('https:') ?? false))) {
      response.headers.set(name, value);
    }
    return response;
  };
}
