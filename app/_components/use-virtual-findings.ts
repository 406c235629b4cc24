'use client';
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useFindings } from '@/lib/hooks/use-findings.ts';
import { useFindingCount } from '@/lib/hooks/use-finding-count.ts';
import type { FindingFilterInput } from '@/lib/services/finding-filter.ts';

/**
 * Every finding matching the filter behind a virtualizer: only rows in view render, and the next
 * keyset page is fetched as the end of the loaded rows scrolls into view.
 */
export function useVirtualFindings(filter: FindingFilterInput, rowHeight: number) {
  const query = useFindings(filter);
  const count = useFindingCount(filter);
  const rows = query.data?.pages.flatMap((page) => page.items) ?? [];
  // Until the count arrives, the list is as long as what is loaded (plus a loading row).
  const total = count.data?.total ?? rows.length + (query.hasNextPage ? 1 : 0);
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => parent.current, estimateSize: () => rowHeight, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (lastIndex >= rows.length - 1 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);
  return { query, rows, total, counted: count.data !== undefined, parent, virtualizer, items };
}
