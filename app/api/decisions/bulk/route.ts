import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { findingFilterSchema } from '@/lib/services/finding-filter.ts';
import { bulkCount, decideBulk, verdictSchema } from '@/lib/services/decisions.ts';

/** How many findings a bulk decision with this filter would decide (for the confirm dialog). */
export const GET = route({ role: 'reviewer', query: findingFilterSchema }, async ({ query }) => ({ count: bulkCount(query) }));

const bodySchema = z.strictObject({ filter: findingFilterSchema, verdict: verdictSchema });

/** Decides every finding matching the filter; the server selects them, the browser sends only the filter. */
export const POST = route({ role: 'reviewer', body: bodySchema }, async ({ actor, body }) => decideBulk(actor, body));
