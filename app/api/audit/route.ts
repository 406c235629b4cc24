import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { listAudit } from '@/lib/services/audit.ts';

const querySchema = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  actor: z.string().trim().max(320).optional(),
  action: z.string().trim().max(64).optional(),
});

export const GET = route({ role: 'viewer', query: querySchema }, async ({ query }) => listAudit(query));
