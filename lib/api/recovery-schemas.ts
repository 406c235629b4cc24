/** Request fields the recovery routes share: a configured source's id, and origin-relative paths as `reconcile recover` lists them. */
import { z } from 'zod';

export const sourceIdSchema = z.string().trim().min(1).max(100);

/** Any name the origin has (newlines too), but never empty or absolute, and a bounded batch. */
export const originPathsSchema = z
  .array(z.string().min(1).max(4096).refine((relPath) => !relPath.startsWith('/') && !relPath.includes('\0'), 'must be relative to the origin, without NUL'))
  .min(1)
  .max(10_000);
