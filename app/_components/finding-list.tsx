'use client';
import Link from 'next/link';
import type { FindingFilterInput } from '@/lib/services/finding-filter.ts';
import type { FindingRow } from '@/lib/services/findings.ts';
import { formatBytes } from '@/engine/format.ts';
import { SourceChip, StateBadge, stateOf } from './badges.tsx';
import { useDisplayPath } from './space.tsx';
import { Thumbnail } from './thumbnail.tsx';
import { useVirtualFindings } from './use-virtual-findings.ts';

const rowHeight = 68;

/**
 * A virtual list over every finding matching the filter: only the rows in view are rendered,
 * and the next page (keyset cursor) is fetched as the end of the loaded rows comes into view.
 */
export function FindingList({ filter, hrefOf, label }: { filter: FindingFilterInput; hrefOf: (row: FindingRow) => string; label: string }) {
  const { query, rows, total, counted, parent, virtualizer, items } = useVirtualFindings(filter, rowHeight);

  if (query.error) return <p role="alert" className="text-red-800">Could not load findings: {query.error.message}</p>;
  if (query.isPending) return <p className="text-slate-700">Loading…</p>;
  if (total === 0) return <p className="text-slate-700" data-testid="empty-list">Nothing matches.</p>;
  return (
    <div>
      <p className="mb-2 text-sm text-slate-700" aria-live="polite" data-testid="list-total">
        {counted ? `${total.toLocaleString('en')} ${label}` : `Counting ${label}…`}
      </p>
      <div ref={parent} className="h-[65vh] overflow-auto rounded border border-slate-200 bg-white" data-testid="finding-list">
        <ul role="list" aria-label={label} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <li
                key={item.key}
                aria-posinset={item.index + 1}
                aria-setsize={total}
                className="absolute left-0 w-full border-b border-slate-100"
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
              >
                {row ? <FindingRowLink row={row} href={hrefOf(row)} /> : <div className="px-3 py-4 text-sm text-slate-500">Loading…</div>}
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}

function FindingRowLink({ row, href }: { row: FindingRow; href: string }) {
  const display = useDisplayPath();
  const keeper = display(row.keeperPath ?? row.paths[0] ?? '');
  const name = keeper.split('/').pop();
  const folder = display(row.folder);
  const shown = Math.max(0, row.keeperPath ? row.paths.indexOf(row.keeperPath) : 0);
  return (
    <Link href={href} className="flex h-full items-center gap-3 px-3 hover:bg-slate-50 focus-visible:bg-blue-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-700" data-testid="finding-row">
      {row.kind !== 'missing' && <Thumbnail file={{ finding: row.id, member: shown }} name={name ?? ''} />}
      <div className="min-w-0 flex-1">
        <div className="truncate text-sm font-medium" title={keeper}>{name}</div>
        <div className="truncate text-xs text-slate-600" title={folder}>{folder}</div>
      </div>
      <div className="hidden shrink-0 gap-1 md:flex">
        {row.sources.map((source) => <SourceChip key={source} id={source} />)}
      </div>
      <div className="w-24 shrink-0 text-right text-xs tabular-nums text-slate-700">
        {row.paths.length} {row.paths.length === 1 ? 'path' : 'copies'}
        <div>{row.size !== null ? formatBytes(row.size) : ''}</div>
      </div>
      <div className="w-24 shrink-0 text-right">
        {row.reclaimableBytes > 0 && <div className="text-sm font-semibold tabular-nums">{formatBytes(row.reclaimableBytes)}</div>}
        <StateBadge state={stateOf(row)} />
      </div>
    </Link>
  );
}
