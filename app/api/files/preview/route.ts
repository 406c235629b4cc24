import { route } from '@/lib/api/route.ts';
import { fileQuerySchema, previewRef } from '@/lib/services/file-views.ts';

/** Text (first 256 KiB) or a hex summary of a file: ?file=finding:<id>:<member> or ?file=entry:<id>. */
export const GET = route({ role: 'viewer', query: fileQuerySchema }, ({ query }) => previewRef(query.file));
