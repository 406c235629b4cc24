'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fetchJson } from './fetch-json.ts';

/** Queues a rollback of an apply run (operator only). */
export function useRollback() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => fetchJson<{ runId: string; jobId: number }>('/api/apply/rollback', { method: 'POST', json: { runId, confirm: true } }),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: ['apply'] });
      void client.invalidateQueries({ queryKey: ['apply-run', result.runId] });
      void client.invalidateQueries({ queryKey: ['jobs'] });
    },
  });
}
