import { route } from '@/lib/api/route.ts';
import { fileRefSchema, imageRef } from '@/lib/services/file-views.ts';

/** The bytes of an image in the space, for side-by-side pictures. */
export const GET = route({ role: 'viewer', query: fileRefSchema }, ({ query }) => imageRef(query));
