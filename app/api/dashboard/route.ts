import { route } from '@/lib/api/route.ts';
import { dashboard } from '@/lib/services/dashboard.ts';

export const GET = route({ role: 'viewer' }, () => dashboard());
