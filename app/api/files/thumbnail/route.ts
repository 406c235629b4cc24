import { route } from '@/lib/api/route.ts';
import { fileQuerySchema, thumbnailRef } from '@/lib/services/file-views.ts';

/** A PNG thumbnail of a picture or of a PDF's first page, cached by content hash: ?file=finding:<id>:<member> or ?file=entry:<id>. */
export const GET = route({ role: 'viewer', query: fileQuerySchema }, ({ query }) => thumbnailRef(query.file));
