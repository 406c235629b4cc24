import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { listJobs } from '@/lib/services/jobs.ts';

const querySchema = z.object({
  kind: z.string().trim().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const GET = route({ role: 'viewer', query: querySchema }, async ({ query }) => ({ jobs: listJobs(query) }));
