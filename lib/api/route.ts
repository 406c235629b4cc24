/**
 * Every route handler is built with `route()`: it authenticates, checks the role, parses the
 * query, params and body with zod, and turns thrown ApiErrors into uniform error responses; the
 * engine's clean refusals (UserError) become 409s with their message, anything else a logged 500.
 */
import 'server-only';
import { z } from 'zod';
import { isUserError } from '../../engine/config/index.ts';
import { currentActor, type Actor } from '../auth/actor.ts';
import { roleAtLeast, type Role } from '../auth/roles.ts';
import { webLogger } from '../log.ts';
import { ApiError, errorResponse, json } from './respond.ts';

interface RouteSpec<Q extends z.ZodType, B extends z.ZodType, P extends z.ZodType> {
  /** Least role allowed to call this handler. */
  role: Role;
  query?: Q;
  body?: B;
  /**
   * Largest JSON body read for `body` (default 1 MiB). A route that streams its own body (an
   * upload) declares no `body`, so route() never reads it, and applies its own cap.
   */
  maxBodyBytes?: number;
  params?: P;
}

export const defaultMaxBodyBytes = 1024 * 1024;

interface HandlerInput<Q, B, P> {
  actor: Actor;
  query: Q;
  body: B;
  params: P;
  request: Request;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export function route<
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  P extends z.ZodType = z.ZodUndefined,
>(
  spec: RouteSpec<Q, B, P>,
  handler: (input: HandlerInput<z.infer<Q>, z.infer<B>, z.infer<P>>) => Promise<Response | unknown>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    // A UserError while authenticating is a setup fault (the access settings), not a refusal to show.
    let authorized = false;
    try {
      const actor = await currentActor(request.headers);
      if (!actor) return errorResponse('unauthorized', 'sign in first');
      if (!roleAtLeast(actor.roles, spec.role)) return errorResponse('forbidden', `needs the ${spec.role} role`);
      authorized = true;
      const query = parse(spec.query, Object.fromEntries(new URL(request.url).searchParams), 'query');
      const params = parse(spec.params, await context.params, 'params');
      const body = parse(spec.body, spec.body ? await readJson(request, spec.maxBodyBytes ?? defaultMaxBodyBytes) : undefined, 'body');
      const result = await handler({ actor, query, body, params, request });
      return result instanceof Response ? result : json(result);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error.code, error.message, error.details);
      if (authorized && isUserError(error)) return errorResponse('conflict', error.message);
      webLogger().error({ err: error, method: request.method, path: new URL(request.url).pathname }, 'route handler failed');
      return errorResponse('internal', 'internal error');
    }
  };
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ApiError('bad_request', `invalid ${where}`, parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return parsed.data;
}

/** The body as JSON, read no further than `limit` bytes whatever Content-Length says (or does not say). */
async function readJson(request: Request, limit: number): Promise<unknown> {
  const tooLarge = () => new ApiError('payload_too_large', `the request body is larger than ${limit} bytes`);
  if (Number(request.headers.get('content-length') ?? 0) > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      size += chunk.value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(chunk.value);
    }
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError('bad_request', 'body must be JSON');
  }
}
