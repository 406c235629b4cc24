import { route } from '@/lib/api/route.ts';
import { diffQuerySchema, overlayRef } from '@/lib/services/file-views.ts';

/** Where two pictures differ, as a PNG (the first faded, differing pixels red): ?a=<file>&b=<file>. */
export const GET = route({ role: 'viewer', query: diffQuerySchema }, ({ query }) => overlayRef(query.a, query.b));
