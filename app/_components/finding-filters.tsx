'use client';
import { useQuery } from '@tanstack/react-query';
import { reviewStates } from '@/lib/services/finding-filter.ts';
import { mebibyte } from '@/engine/format.ts';
import { fetchJson } from '@/lib/hooks/fetch-json.ts';
import type { SourceSummary } from '@/lib/services/sources.ts';

export const filterKeys = ['source', 'folder', 'minSize', 'maxSize', 'state'] as const;
export type FilterValues = Record<(typeof filterKeys)[number], string>;

/** Source, folder, size and state filters; sizes are typed in MiB and sent in bytes. */
export function FindingFilters({ values, onChange }: { values: FilterValues; onChange: (changes: Partial<FilterValues>) => void }) {
  const sources = useQuery({ queryKey: ['sources'], queryFn: () => fetchJson<{ sources: SourceSummary[] }>('/api/sources') });
  const field = 'mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm';
  const mebibytes = (bytes: string) => (bytes ? String(Number(bytes) / mebibyte) : '');
  const bytes = (mib: string) => (mib && Number(mib) >= 0 ? String(Math.round(Number(mib) * mebibyte)) : '');
  return (
    <form role="search" aria-label="Filter findings" className="grid grid-cols-2 gap-3 sm:grid-cols-5" onSubmit={(event) => event.preventDefault()}>
      <label className="text-sm text-slate-800">
        Source
        <select className={field} value={values.source} onChange={(event) => onChange({ source: event.target.value })}>
          <option value="">All sources</option>
          {sources.data?.sources.map((source) => (
            <option key={source.id} value={source.id}>{source.id}</option>
          ))}
        </select>
      </label>
      <label className="text-sm text-slate-800">
        Folder
        <input className={field} placeholder="e.g. mike/projects" defaultValue={values.folder} onBlur={(event) => onChange({ folder: event.target.value.trim() })} onKeyDown={(event) => { if (event.key === 'Enter') onChange({ folder: event.currentTarget.value.trim() }); }} />
      </label>
      <label className="text-sm text-slate-800">
        Min size (MiB)
        <input className={field} type="number" min={0} step="any" defaultValue={mebibytes(values.minSize)} onBlur={(event) => onChange({ minSize: bytes(event.target.value) })} />
      </label>
      <label className="text-sm text-slate-800">
        Max size (MiB)
        <input className={field} type="number" min={0} step="any" defaultValue={mebibytes(values.maxSize)} onBlur={(event) => onChange({ maxSize: bytes(event.target.value) })} />
      </label>
      <label className="text-sm text-slate-800">
        State
        <select className={field} value={values.state} onChange={(event) => onChange({ state: event.target.value })}>
          <option value="">Any state</option>
          {reviewStates.map((state) => (
            <option key={state} value={state}>{state}</option>
          ))}
        </select>
      </label>
    </form>
  );
}

/** The filter as the API takes it (empty values left out). */
export function filterFromValues(values: FilterValues) {
  return {
    source: values.source || undefined,
    folder: values.folder || undefined,
    minSize: values.minSize ? Number(values.minSize) : undefined,
    maxSize: values.maxSize ? Number(values.maxSize) : undefined,
    state: (values.state || undefined) as (typeof reviewStates)[number] | undefined,
  };
}
