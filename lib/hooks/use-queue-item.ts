'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FindingDetail } from '@/lib/services/findings.ts';
import type { FindingFilterInput } from '@/lib/services/finding-filter.ts';
import { fetchJson, queryString } from './fetch-json.ts';

/** The finding at position `index` of a filtered queue, and the queue's length. */
export function useQueueItem(filter: FindingFilterInput, index: number) {
  return useQuery({
    queryKey: ['queue', filter, index],
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      fetchJson<{ total: number; index: number; finding: FindingDetail | null }>(`/api/findings/at${queryString({ ...filter, i: index })}`, { signal }),
  });
}
