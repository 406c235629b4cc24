import { z } from 'zod';
import { route } from '@/lib/api/route.ts';
import { reportDownload, reportFormats } from '@/lib/services/apply.ts';

const querySchema = z.object({
  format: z.enum(reportFormats).default('md'),
  run: z.string().trim().min(1).max(100).optional(),
});

/** The audit report (Markdown, HTML, JSON, CSV or a communication-log entry) as a download. */
export const GET = route({ role: 'viewer', query: querySchema }, async ({ query }) => reportDownload(query.format, query.run));
