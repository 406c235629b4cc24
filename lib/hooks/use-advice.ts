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
    // A POST (a paid call, audited): kept as a query so it is asked once per finding and cached.
    queryFn: ({ signal }) => fetchJson<Advice>(`/api/advice/${encodeURIComponent(findingId)}`, { method: 'POST', signal }),
    staleTime: Infinity,
    retry: false,
  });
}
