'use client';
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useFindings } from '@/lib/hooks/use-findings.ts';
import type { FindingFilterInput } from '@/lib/services/finding-filter.ts';

/**
 * Every finding matching the filter behind a virtualizer: only rows in view render, and the next
 * keyset page is fetched as the end of the loaded rows scrolls into view.
 */
export function useVirtualFindings(filter: FindingFilterInput, rowHeight: number) {
  const query = useFindings(filter);
  const rows = query.data?.pages.flatMap((page) => page.items) ?? [];
  const total = query.data?.pages[0]?.total ?? 0;
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => parent.current, estimateSize: () => rowHeight, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (lastIndex >= rows.length - 1 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);
  return { query, rows, total, parent, virtualizer, items };
}
