import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { originPathsSchema, sourceIdSchema } from '@/lib/api/recovery-schemas.ts';
import { revokeEntryWaivers, waiveEntries, waivers } from '@/lib/services/recovery.ts';

const querySchema = z.object({ source: sourceIdSchema.optional(), revoked: z.enum(['0', '1']).default('0') });

/** The waivers in force (with revoked=1 also the revoked ones). */
export const GET = route({ role: 'viewer', query: querySchema }, async ({ query }) => waivers({ source: query.source, includeRevoked: query.revoked === '1' }));

/** Waives origin entries of one source: not recovered, accounted for; the reason is required, the deciding person is the caller. */
export const POST = route(
  { role: 'operator', body: z.strictObject({ source: sourceIdSchema, paths: originPathsSchema, reason: z.string().trim().min(1, 'say why it is not worth recovering').max(2000) }) },
  async ({ actor, body }) => waiveEntries(actor, body),
);

/** Revokes waivers: those entries are outstanding again. */
export const DELETE = route({ role: 'operator', body: z.strictObject({ source: sourceIdSchema, paths: originPathsSchema }) }, async ({ actor, body }) =>
  revokeEntryWaivers(actor, body),
);
