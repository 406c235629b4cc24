'use client';
import { useQuery } from '@tanstack/react-query';
import type { FindingFilterInput } from '@/lib/services/finding-filter.ts';
import { fetchJson, queryString } from './fetch-json.ts';

/** How many findings a bulk decision with this filter would decide (asked when the dialog opens). */
export function useBulkCount(filter: FindingFilterInput, enabled: boolean) {
  return useQuery({
    queryKey: ['findings', 'bulk-count', filter],
    enabled,
    queryFn: ({ signal }) => fetchJson<{ count: number }>(`/api/decisions/bulk${queryString(filter)}`, { signal }),
  });
}
