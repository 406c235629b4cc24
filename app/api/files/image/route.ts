import { route } from '@/lib/api/route.ts';
import { fileQuerySchema, imageRef } from '@/lib/services/file-views.ts';

/** The bytes of an image, for side-by-side pictures: ?file=finding:<id>:<member> or ?file=entry:<id>. */
export const GET = route({ role: 'viewer', query: fileQuerySchema }, ({ query }) => imageRef(query.file));
