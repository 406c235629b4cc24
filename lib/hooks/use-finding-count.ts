'use client';
import { useQuery } from '@tanstack/react-query';
import type { FindingFilterInput } from '@/lib/services/finding-filter.ts';
import { fetchJson, queryString } from './fetch-json.ts';

/** How many findings match the filter. */
export function useFindingCount(filter: FindingFilterInput) {
  return useQuery({
    queryKey: ['findings', 'count', filter],
    queryFn: ({ signal }) => fetchJson<{ total: number }>(`/api/findings/count${queryString(filter)}`, { signal }),
  });
}
