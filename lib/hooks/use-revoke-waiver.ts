'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Waiver } from '@/lib/services/recovery.ts';
import { fetchJson } from './fetch-json.ts';

/** Revokes waivers (operator only): the entries are outstanding again. */
export function useRevokeWaiver() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { source: string; paths: string[] }) => fetchJson<{ revoked: Waiver[] }>('/api/recovery/waivers', { method: 'DELETE', json: input }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['recovery'] }),
  });
}
