'use client';
import { useQuery } from '@tanstack/react-query';
import type { RunDetail } from '@/lib/services/apply.ts';
import { fetchJson } from './fetch-json.ts';

const active = new Set(['queued', 'running', 'rolling-back']);

/** One apply run, polled every second while it is queued, running or rolling back (or `follow` is set). */
export function useApplyRun(id: string | null, follow = false) {
  return useQuery({
    queryKey: ['apply-run', id],
    enabled: id !== null,
    queryFn: ({ signal }) => fetchJson<RunDetail>(`/api/apply/runs/${encodeURIComponent(id!)}`, { signal }),
    refetchInterval: (query) => (follow || !query.state.data || active.has(query.state.data.status) ? 1000 : false),
  });
}
