import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { undoOne } from '@/lib/services/decisions.ts';

const paramsSchema = z.object({ findingId: z.string().min(1).max(200) });

/** Undoes a decision that no apply run has carried out yet. */
export const DELETE = route({ role: 'reviewer', params: paramsSchema }, async ({ actor, params }) => undoOne(actor, params.findingId));
