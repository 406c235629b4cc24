'use client';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditPage } from '@/lib/services/audit.ts';
import { fetchJson, queryString } from './fetch-json.ts';

/** The audit trail, newest first, page by page. */
export function useAudit(filter: { actor?: string; action?: string }) {
  return useInfiniteQuery({
    queryKey: ['audit', filter],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam, signal }) => fetchJson<AuditPage>(`/api/audit${queryString({ ...filter, before: pageParam, limit: 100 })}`, { signal }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
