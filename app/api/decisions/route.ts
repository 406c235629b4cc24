import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { choiceSchema, decideOne, verdictSchema } from '@/lib/services/decisions.ts';

const bodySchema = z.strictObject({
  findingId: z.string().min(1).max(200),
  verdict: verdictSchema,
  choice: choiceSchema.optional(),
});

/** Approve, reject or defer one finding's proposal. */
export const POST = route({ role: 'reviewer', body: bodySchema }, async ({ actor, body }) => decideOne(actor, body));
