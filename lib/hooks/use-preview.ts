'use client';
import { useQuery } from '@tanstack/react-query';
import { fileViewUrl, formatFileRef, type FileRef } from '@/lib/files/file-ref.ts';
import type { FilePreview } from '@/lib/services/file-views.ts';
import { fetchJson } from './fetch-json.ts';

/** Text, hex or document preview of one file: a finding's member or a catalogued entry. */
export function usePreview(file: FileRef, enabled = true) {
  return useQuery({
    queryKey: ['preview', formatFileRef(file)],
    enabled,
    staleTime: 30_000,
    queryFn: ({ signal }) => fetchJson<FilePreview>(fileViewUrl('preview', file), { signal }),
  });
}
