'use client';
import { useQuery } from '@tanstack/react-query';
import type { JobView } from '@/lib/services/jobs.ts';
import { fetchJson, queryString } from './fetch-json.ts';

/** Recent jobs, polled every second while any is queued or running (live progress). */
export function useJobs(kind?: string) {
  return useQuery({
    queryKey: ['jobs', kind ?? null],
    queryFn: ({ signal }) => fetchJson<{ jobs: JobView[] }>(`/api/jobs${queryString({ kind, limit: 10 })}`, { signal }),
    refetchInterval: (query) =>
      query.state.data?.jobs.some((job) => job.status === 'queued' || job.status === 'running') ? 1000 : 5000,
  });
}
