'use client';
import { useQuery } from '@tanstack/react-query';
import type { RecoveryPlan } from '@/lib/services/recovery.ts';
import { fetchJson } from './fetch-json.ts';

/** Per source: what is still to fetch from its origin, with the list, the command or the script. */
export function useRecovery() {
  return useQuery({ queryKey: ['recovery'], queryFn: ({ signal }) => fetchJson<RecoveryPlan>('/api/recovery', { signal }) });
}
