import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { getFinding } from '@/lib/services/findings.ts';

const paramsSchema = z.object({ id: z.string().min(1).max(200) });

export const GET = route({ role: 'viewer', params: paramsSchema }, async ({ params }) => getFinding(params.id));
