import { route } from '@/lib/api/route.ts';
import { findingFilterSchema } from '@/lib/services/finding-filter.ts';
import { countFindings } from '@/lib/services/findings.ts';

/** How many findings match the filter (asked beside the first page, so the page never waits for it). */
export const GET = route({ role: 'viewer', query: findingFilterSchema }, async ({ query }) => ({ total: countFindings(query) }));
