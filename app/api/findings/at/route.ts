import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { findingFilterSchema } from '@/lib/services/finding-filter.ts';
import { queueItem } from '@/lib/services/findings.ts';

const querySchema = findingFilterSchema.extend({ i: z.coerce.number().int().min(0).max(10_000_000).default(0) });

/** The finding at position i of a filtered queue, with the queue's length (one card at a time). */
export const GET = route({ role: 'viewer', query: querySchema }, async ({ query }) => {
  const { i, ...filter } = query;
  return queueItem(filter, i);
});
