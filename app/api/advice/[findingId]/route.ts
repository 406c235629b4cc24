import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { adviseOnFinding } from '@/lib/services/advice.ts';

const paramsSchema = z.object({ findingId: z.string().min(1).max(200) });

/**
 * Assist-only AI advice on a finding: read-only apart from the audit entry that it was shown. A POST,
 * not a GET: each answer is a paid gateway call and an audit entry, so it takes the same-origin check
 * every state-changing request gets (proxy.ts) and no link or image tag can trigger it.
 */
export const POST = route({ role: 'viewer', params: paramsSchema }, async ({ params, actor }) => adviseOnFinding(params.findingId, actor));
