import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { sourceIdSchema } from '@/lib/api/recovery-schemas.ts';
import { startFetch } from '@/lib/services/recovery.ts';

/** Queues a fetch from the origins this server reaches (all of them, or the sources named); its progress is the job's. */
export const POST = route({ role: 'operator', body: z.strictObject({ sources: z.array(sourceIdSchema).max(100).default([]) }) }, async ({ actor, body }) =>
  startFetch(actor, body.sources),
);
