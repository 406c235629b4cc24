/**
 * A small client for an OpenAI-compatible chat endpoint (the platform's LiteLLM gateway). It never
 * throws for the gateway's sake: a timeout, an error status or a malformed reply becomes a typed
 * "unavailable" result, so callers keep working without advice.
 */
import { z } from 'zod';
import type { Env } from '../../engine/config/index.ts';

export interface AiSettings {
  /** Base URL up to and including the API version, e.g. `http://litellm:4000/v1`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  maxExcerptBytes: number;
}

export type AiSetup = { enabled: false } | { enabled: true; settings: AiSettings } | { enabled: true; problem: string };

/** Off without a base URL; a base URL without a model is a setup problem shown instead of advice. */
export function aiSetup(env: Env): AiSetup {
  if (!env.RECONCILE_AI_BASE_URL) return { enabled: false };
  if (!env.RECONCILE_AI_MODEL) return { enabled: true, problem: 'RECONCILE_AI_MODEL is not set' };
  return {
    enabled: true,
    settings: {
      baseUrl: env.RECONCILE_AI_BASE_URL,
      model: env.RECONCILE_AI_MODEL,
      apiKey: env.RECONCILE_AI_API_KEY,
      timeoutMs: env.RECONCILE_AI_TIMEOUT_MS,
      maxExcerptBytes: env.RECONCILE_AI_MAX_EXCERPT_BYTES,
    },
  };
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export type UnavailableReason = 'timeout' | 'unreachable' | 'http-error' | 'bad-response' | 'misconfigured';

export type ChatResult =
  | { ok: true; text: string; model: string }
  | { ok: false; reason: UnavailableReason; message: string };

const completionSchema = z.object({
  model: z.string().min(1).optional(),
  choices: z
    .array(z.object({ message: z.object({ content: z.string().trim().min(1) }) }))
    .min(1),
});

/** Replies larger than this are not advice; refusing them keeps a runaway gateway from filling memory. */
const maxReplyBytes = 256 * 1024;
/** Upper bound on the answer's length, in tokens, asked of the model. */
const maxAnswerTokens = 500;

export async function chatCompletion(settings: AiSettings, messages: ChatMessage[]): Promise<ChatResult> {
  let response: Response;
  try {
    response = await fetch(`${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: settings.model, messages, temperature: 0.2, max_tokens: maxAnswerTokens }),
      signal: AbortSignal.timeout(settings.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    return failure(error, settings);
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, reason: 'http-error', message: `the AI gateway answered ${response.status}` };
  }
  let raw: unknown;
  try {
    const text = await readBounded(response, maxReplyBytes);
    if (text === null) return { ok: false, reason: 'bad-response', message: 'the AI gateway sent an oversized reply' };
    raw = JSON.parse(text);
  } catch (error) {
    if (isTimeout(error)) return failure(error, settings);
    return { ok: false, reason: 'bad-response', message: 'the AI gateway did not send JSON' };
  }
  const parsed = completionSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'bad-response', message: 'the AI gateway sent a reply without a message' };
  return { ok: true, text: parsed.data.choices[0]!.message.content, model: parsed.data.model ?? settings.model };
}

/** The body as text, or null once it exceeds `limit` bytes (the rest is never read). */
async function readBounded(response: Response, limit: number): Promise<string | null> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString('utf8');
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** Says what went wrong without echoing the URL's credentials or the key. */
function failure(error: unknown, settings: AiSettings): ChatResult {
  if (isTimeout(error)) return { ok: false, reason: 'timeout', message: `no answer within ${settings.timeoutMs} ms` };
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return { ok: false, reason: 'unreachable', message: `the AI gateway cannot be reached${code ? ` (${code})` : ''}` };
}
