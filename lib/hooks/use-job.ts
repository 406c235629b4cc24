'use client';
import { useQuery } from '@tanstack/react-query';
import type { JobView } from '@/lib/services/jobs.ts';
import { fetchJson } from './fetch-json.ts';

/** One job, polled every second until it finishes. */
export function useJob(id: number | null) {
  return useQuery({
    queryKey: ['job', id],
    enabled: id !== null,
    queryFn: ({ signal }) => fetchJson<JobView>(`/api/jobs/${id}`, { signal }),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === undefined || status === 'queued' || status === 'running' ? 1000 : false;
    },
  });
}
