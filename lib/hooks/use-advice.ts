'use client';
import { useQuery } from '@tanstack/react-query';
import type { Advice } from '@/lib/services/advice.ts';
import { fetchJson } from './fetch-json.ts';

/**
 * Assist-only AI advice on a finding. Asked once per finding and kept for the session: every answer
 * costs a gateway call and an audit entry, and a failed one is shown, not retried behind the user's back.
 */
export function useAdvice(findingId: string) {
  return useQuery({
    queryKey: ['advice', findingId],
    queryFn: ({ signal }) => fetchJson<Advice>(`/api/advice/${encodeURIComponent(findingId)}`, { signal }),
    staleTime: Infinity,
    retry: false,
  });
}
