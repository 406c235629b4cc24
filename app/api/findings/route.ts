import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { findingFilterSchema } from '@/lib/services/finding-filter.ts';
import { listFindings } from '@/lib/services/findings.ts';

const querySchema = findingFilterSchema.extend({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const GET = route({ role: 'viewer', query: querySchema }, async ({ query }) => {
  const { cursor, limit, ...filter } = query;
  return listFindings(filter, { cursor, limit });
});
