'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FindingFilterInput } from '@/lib/services/finding-filter.ts';
import { fetchJson } from './fetch-json.ts';

/** Decides every finding matching a filter; the server selects them, the browser sends only the filter. */
export function useBulkDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { filter: FindingFilterInput; verdict: 'approved' | 'rejected' | 'deferred' }) =>
      fetchJson<{ decided: number }>('/api/decisions/bulk', { method: 'POST', json: input }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['findings'] });
      void client.invalidateQueries({ queryKey: ['finding'] });
      void client.invalidateQueries({ queryKey: ['queue'] });
    },
  });
}
