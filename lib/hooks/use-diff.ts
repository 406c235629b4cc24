'use client';
import { useQuery } from '@tanstack/react-query';
import type { LineDiff } from '@/lib/files/preview.ts';
import { fetchJson, queryString } from './fetch-json.ts';

/** Line diff between two members of a finding (null when either is not text). */
export function useDiff(findingId: string, a: number, b: number, enabled = true) {
  return useQuery({
    queryKey: ['diff', findingId, a, b],
    enabled,
    staleTime: 30_000,
    queryFn: ({ signal }) => fetchJson<{ diff: LineDiff | null }>(`/api/files/diff${queryString({ finding: findingId, a, b })}`, { signal }),
  });
}
