'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fetchJson } from './fetch-json.ts';

/**
 * Queues the approved operations as an apply job (operator only); with `retry`, the failed steps
 * of that run instead.
 */
export function useStartApply() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (retry?: string) =>
      fetchJson<{ state: string; runId: string | null; jobId: number | null }>('/api/apply', { method: 'POST', json: retry ? { confirm: true, retry } : { confirm: true } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['apply'] });
      void client.invalidateQueries({ queryKey: ['jobs'] });
    },
  });
}
