'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { WaiveResult } from '@/lib/services/recovery.ts';
import { fetchJson } from './fetch-json.ts';

/** Waives origin entries of one source with a reason (operator only); the server records who decided. */
export function useWaive() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { source: string; paths: string[]; reason: string }) => fetchJson<WaiveResult>('/api/recovery/waivers', { method: 'POST', json: input }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['recovery'] }),
  });
}
