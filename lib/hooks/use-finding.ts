'use client';
import { useQuery } from '@tanstack/react-query';
import type { FindingDetail } from '@/lib/services/findings.ts';
import { fetchJson } from './fetch-json.ts';

/** One finding with its proposal, decision and resolved members. */
export function useFinding(id: string | null) {
  return useQuery({
    queryKey: ['finding', id],
    enabled: id !== null,
    queryFn: ({ signal }) => fetchJson<FindingDetail>(`/api/findings/${encodeURIComponent(id!)}`, { signal }),
  });
}
