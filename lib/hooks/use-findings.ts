'use client';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { FindingPage } from '@/lib/services/findings.ts';
import type { FindingFilterInput } from '@/lib/services/finding-filter.ts';
import { fetchJson, queryString } from './fetch-json.ts';

/** Findings matching a filter, page by page (keyset cursor), for virtual lists. */
export function useFindings(filter: FindingFilterInput, pageSize = 100) {
  return useInfiniteQuery({
    queryKey: ['findings', filter, pageSize],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      fetchJson<FindingPage>(`/api/findings${queryString({ ...filter, cursor: pageParam, limit: pageSize })}`, { signal }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
