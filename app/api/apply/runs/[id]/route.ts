import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { applyRun } from '@/lib/services/apply.ts';

const paramsSchema = z.object({ id: z.string().min(1).max(100) });

/** One apply run: progress counts, skipped/failed operations and its verification. */
export const GET = route({ role: 'viewer', params: paramsSchema }, async ({ params }) => applyRun(params.id));
