'use client';
import { useQuery } from '@tanstack/react-query';
import { fileDiffUrl, formatFileRef, type FileRef } from '@/lib/files/file-ref.ts';
import type { FileDiff } from '@/lib/services/file-views.ts';
import { fetchJson } from './fetch-json.ts';

/** The diff of two files (members or entries): lines for text, paragraphs, cells, pages, pixels or zip entries for documents, or why there is none. */
export function useDiff(a: FileRef, b: FileRef, enabled = true) {
  return useQuery({
    queryKey: ['diff', formatFileRef(a), formatFileRef(b)],
    enabled,
    staleTime: 30_000,
    queryFn: ({ signal }) => fetchJson<FileDiff>(fileDiffUrl(a, b), { signal }),
  });
}
