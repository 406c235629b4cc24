import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { applyPreview, applyRuns, startApply } from '@/lib/services/apply.ts';

/** The approved operations as a dry run (nothing touched), and the recent runs. */
export const GET = route({ role: 'viewer' }, async () => ({ preview: applyPreview(), runs: applyRuns() }));

/**
 * Queues the approved work as an apply job (operator only); `confirm` guards against stray posts.
 * `retry`: run again the failed steps of that run (one that finished with failures).
 */
export const POST = route(
  { role: 'operator', body: z.strictObject({ confirm: z.literal(true), retry: z.string().min(1).max(64).optional() }) },
  async ({ actor, body }) => startApply(actor, body.retry),
);
