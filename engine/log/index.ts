/**
 * Structured logs (pino, JSON lines) to a file in the data directory. Secrets are redacted by key
 * name, and nothing here ever prints to the terminal: the CLI writes its own human output.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

const redactPaths = [
  'secret',
  'password',
  'token',
  'apiKey',
  'authorization',
  'cookie',
  '*.secret',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.authorization',
  '*.cookie',
  'env.NEXTAUTH_SECRET',
  'env.ENTRA_CLIENT_SECRET',
  'env.RECONCILE_AI_API_KEY',
];

export function createLogger(options: { file?: string; level?: string; name?: string }): Logger {
  const level = options.level ?? 'info';
  if (!options.file || level === 'silent') return pino({ level: 'silent' });
  fs.mkdirSync(path.dirname(options.file), { recursive: true });
  const destination = pino.destination({ dest: options.file, append: true, mkdir: true, sync: true });
  return pino({ level, name: options.name ?? 'reconcile', redact: { paths: redactPaths, censor: '[redacted]' } }, destination);
}
