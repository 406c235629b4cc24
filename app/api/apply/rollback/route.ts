import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { startRollback } from '@/lib/services/apply.ts';

const bodySchema = z.strictObject({ runId: z.string().min(1).max(100), confirm: z.literal(true) });

/** Queues a rollback of an apply run (operator only, confirmed in the UI). */
export const POST = route({ role: 'operator', body: bodySchema }, async ({ actor, body }) => startRollback(actor, body.runId));
