'use client';
import { FindingFilters, filterFromValues, filterKeys } from '../../_components/finding-filters.tsx';
import { FindingList } from '../../_components/finding-list.tsx';
import { findingHref, kindLabel } from '../../_components/kinds.ts';
import { useUrlFilter } from '../../_components/use-url-filter.ts';
import type { otherKinds } from '../kind-tabs.tsx';

export function KindList({ kind }: { kind: (typeof otherKinds)[number] }) {
  const [values, update] = useUrlFilter(filterKeys);
  return (
    <>
      <FindingFilters values={values} onChange={update} />
      <FindingList label={kindLabel(kind).toLowerCase()} filter={{ kind, ...filterFromValues(values) }} hrefOf={findingHref} />
    </>
  );
}
