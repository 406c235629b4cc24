import { route } from '@/lib/api/route.ts';
import { diffQuerySchema, diffRef } from '@/lib/services/file-views.ts';

/** Bounded line diff of two files, each a finding's member or a catalogued entry: ?a=<file>&b=<file>. */
export const GET = route({ role: 'viewer', query: diffQuerySchema }, ({ query }) => diffRef(query.a, query.b));
