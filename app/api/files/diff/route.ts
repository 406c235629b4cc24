import { route } from '@/lib/api/route.ts';
import { diffRef, diffRefSchema } from '@/lib/services/file-views.ts';

/** Line diff of two members of a finding (?finding=&a=&b=) or of two paths in the space (?a=&b=). */
export const GET = route({ role: 'viewer', query: diffRefSchema }, ({ query }) => diffRef(query));
