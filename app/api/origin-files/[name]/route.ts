import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { originFileResponse } from '@/lib/services/origin-files.ts';

const paramsSchema = z.object({ name: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be a file name') });
const querySchema = z.object({ source: z.string().trim().min(1).max(100).optional() });

/** A file for an origin host (the manifest tool, the Windows script...), with its SHA-256 in Repr-Digest. */
export const GET = route({ role: 'operator', params: paramsSchema, query: querySchema }, async ({ params, query }) => originFileResponse(params.name, query.source));
