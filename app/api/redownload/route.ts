import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { redownloadFile, redownloadLists } from '@/lib/services/redownload.ts';

const querySchema = z.object({ source: z.string().trim().min(1).max(100).optional() });

/** Without ?source: the lists per source (JSON). With it: that source's --files-from file. */
export const GET = route({ role: 'viewer', query: querySchema }, async ({ query }) =>
  query.source ? redownloadFile(query.source) : { lists: redownloadLists() },
);
