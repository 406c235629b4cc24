'use client';
import { useQuery } from '@tanstack/react-query';
import type { Preview } from '@/lib/files/preview.ts';
import { fetchJson, queryString } from './fetch-json.ts';

/** Text or hex preview of one member of a finding. */
export function usePreview(findingId: string, member: number, enabled = true) {
  return useQuery({
    queryKey: ['preview', findingId, member],
    enabled,
    staleTime: 30_000,
    queryFn: ({ signal }) => fetchJson<Preview>(`/api/files/preview${queryString({ finding: findingId, member })}`, { signal }),
  });
}
