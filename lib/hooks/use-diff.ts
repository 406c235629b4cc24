'use client';
import { useQuery } from '@tanstack/react-query';
import { fileDiffUrl, formatFileRef, type FileRef } from '@/lib/files/file-ref.ts';
import type { DiffView } from '@/lib/files/preview.ts';
import { fetchJson } from './fetch-json.ts';

/** Line diff between two files (members or entries), or why there is none (not text, too different). */
export function useDiff(a: FileRef, b: FileRef, enabled = true) {
  return useQuery({
    queryKey: ['diff', formatFileRef(a), formatFileRef(b)],
    enabled,
    staleTime: 30_000,
    queryFn: ({ signal }) => fetchJson<DiffView>(fileDiffUrl(a, b), { signal }),
  });
}
