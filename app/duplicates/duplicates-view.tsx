'use client';
import { FindingFilters, filterFromValues, filterKeys } from '../_components/finding-filters.tsx';
import { FindingList } from '../_components/finding-list.tsx';
import { useUrlFilter } from '../_components/use-url-filter.ts';

export function DuplicatesView() {
  const [values, update] = useUrlFilter(filterKeys);
  return (
    <>
      <FindingFilters values={values} onChange={update} />
      <FindingList
        label="duplicate clusters"
        filter={{ kind: 'duplicate', ...filterFromValues(values) }}
        hrefOf={(row) => `/duplicates/${encodeURIComponent(row.id)}`}
      />
    </>
  );
}
