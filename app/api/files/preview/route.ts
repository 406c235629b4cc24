import { route } from '@/lib/api/route.ts';
import { fileRefSchema, previewRef } from '@/lib/services/file-views.ts';

/** Text (first 256 KiB) or a hex summary of a finding's member (?finding=&member=) or a path in the space (?path=). */
export const GET = route({ role: 'viewer', query: fileRefSchema }, ({ query }) => previewRef(query));
