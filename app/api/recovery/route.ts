import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { sourceIdSchema } from '@/lib/api/recovery-schemas.ts';
import { recoveryDownload, recoverySources } from '@/lib/services/recovery.ts';

const querySchema = z.object({
  source: sourceIdSchema.optional(),
  file: z.enum(['list', 'script']).default('list'),
});

/** Without ?source: every source's recovery (JSON). With it: that source's list, or its script with file=script. */
export const GET = route({ role: 'viewer', query: querySchema }, async ({ query }) =>
  query.source ? recoveryDownload(query.source, query.file) : recoverySources(),
);
