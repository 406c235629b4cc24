import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { applyPreview, applyRuns, startApply } from '@/lib/services/apply.ts';

/** The approved operations as a dry run (nothing touched), and the recent runs. */
export const GET = route({ role: 'viewer' }, async () => ({ preview: applyPreview(), runs: applyRuns() }));

/** Queues the approved work as an apply job (operator only); `confirm` guards against stray posts. */
export const POST = route({ role: 'operator', body: z.strictObject({ confirm: z.literal(true) }) }, async ({ actor }) => startApply(actor));
