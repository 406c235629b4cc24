import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { uploadGate } from '@/lib/api/upload-gate.ts';
import { receiveManifest } from '@/lib/services/origin-manifests.ts';

const paramsSchema = z.object({ sourceId: z.string().trim().min(1).max(100) });

/** The body is the manifest file (gzip JSON lines, or rclone lsjson output): streamed to disk under its own cap, then imported. */
export const POST = uploadGate(
  route({ role: 'operator', params: paramsSchema }, ({ params, request, actor }) => receiveManifest({ sourceId: params.sourceId, request, actor })),
);
