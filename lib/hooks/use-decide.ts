'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReviewChoice } from '@/engine/plan/browser.ts';
import { fetchJson } from './fetch-json.ts';

export interface DecideInput {
  findingId: string;
  verdict: 'approved' | 'rejected' | 'deferred';
  choice?: ReviewChoice;
}

/** Records a verdict on one finding's proposal; lists and the finding refresh afterwards. */
export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: DecideInput) => fetchJson<{ decided: number }>('/api/decisions', { method: 'POST', json: input }),
    onSuccess: (_result, input) => {
      void client.invalidateQueries({ queryKey: ['finding', input.findingId] });
      void client.invalidateQueries({ queryKey: ['findings'] });
      void client.invalidateQueries({ queryKey: ['queue'] });
    },
  });
}
