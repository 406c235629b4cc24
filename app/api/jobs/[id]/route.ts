import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { getJob } from '@/lib/services/jobs.ts';

const paramsSchema = z.object({ id: z.coerce.number().int().positive() });

export const GET = route({ role: 'viewer', params: paramsSchema }, async ({ params }) => getJob(params.id));
