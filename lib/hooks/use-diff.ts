'use client';
import { useQuery } from '@tanstack/react-query';
import type { DiffView } from '@/lib/files/preview.ts';
import { fetchJson, queryString } from './fetch-json.ts';

/** Line diff between two members of a finding, or why there is none (not text, too different). */
export function useDiff(findingId: string, a: number, b: number, enabled = true) {
  return useQuery({
    queryKey: ['diff', findingId, a, b],
    enabled,
    staleTime: 30_000,
    queryFn: ({ signal }) => fetchJson<DiffView>(`/api/files/diff${queryString({ finding: findingId, a, b })}`, { signal }),
  });
}
