'use client';
import { useQuery } from '@tanstack/react-query';
import type { Waiver } from '@/lib/services/recovery.ts';
import { fetchJson, queryString } from './fetch-json.ts';

/** The waivers in force for a source (verify counts them at once; the lists drop them at the next plan). */
export function useWaivers(source: string) {
  return useQuery({
    queryKey: ['recovery', 'waivers', source],
    queryFn: ({ signal }) => fetchJson<{ waivers: Waiver[] }>(`/api/recovery/waivers${queryString({ source })}`, { signal }),
  });
}
