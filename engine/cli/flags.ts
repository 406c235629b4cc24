import type { z } from 'zod';
import { describeIssues, UserError } from '../config/index.ts';

/** Validates a command's flags; a bad flag is a user error naming the flag. */
export function parseFlags<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UserError(`bad option: ${describeIssues(parsed.error).replace(/^(\w+)/, '--$1')}`);
  return parsed.data;
}
