'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fetchJson } from './fetch-json.ts';

/** Queues a fetch from the origins this server reaches (operator only); follow it with useJob. */
export function useStartFetch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (sources: string[] = []) => fetchJson<{ jobId: number }>('/api/recovery/fetch', { method: 'POST', json: { sources } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['jobs'] }),
  });
}
