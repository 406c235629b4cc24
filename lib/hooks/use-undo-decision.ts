'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fetchJson } from './fetch-json.ts';

/** Withdraws a decision that has not been applied yet. */
export function useUndoDecision() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (findingId: string) => fetchJson<{ undone: number }>(`/api/decisions/${encodeURIComponent(findingId)}`, { method: 'DELETE' }),
    onSuccess: (_result, findingId) => {
      void client.invalidateQueries({ queryKey: ['finding', findingId] });
      void client.invalidateQueries({ queryKey: ['findings'] });
      void client.invalidateQueries({ queryKey: ['queue'] });
    },
  });
}
