'use client';
import { useQuery } from '@tanstack/react-query';
import type { RedownloadList } from '@/lib/services/redownload.ts';
import { fetchJson } from './fetch-json.ts';

/** Files to fetch again per source, grouped by cloud remote. */
export function useRedownloadLists() {
  return useQuery({ queryKey: ['redownload'], queryFn: ({ signal }) => fetchJson<{ lists: RedownloadList[] }>('/api/redownload', { signal }) });
}
