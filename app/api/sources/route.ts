import { route } from '@/lib/api/route.ts';
import { listSources } from '@/lib/services/sources.ts';

export const GET = route({ role: 'viewer' }, async () => ({ sources: await listSources() }));
