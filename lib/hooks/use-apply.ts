'use client';
import { useQuery } from '@tanstack/react-query';
import type { ApplyPreviewView, RunView } from '@/lib/services/apply.ts';
import { fetchJson } from './fetch-json.ts';

/** The dry-run preview of approved operations and the recent apply runs. */
export function useApply() {
  return useQuery({
    queryKey: ['apply'],
    queryFn: ({ signal }) => fetchJson<{ preview: ApplyPreviewView; runs: RunView[] }>('/api/apply', { signal }),
  });
}
