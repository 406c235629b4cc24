'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useDecide } from '@/lib/hooks/use-decide.ts';
import { useUndoDecision } from '@/lib/hooks/use-undo-decision.ts';
import type { FindingFilterInput } from '@/lib/services/finding-filter.ts';
import type { FindingRow } from '@/lib/services/findings.ts';
import { formatBytes } from '@/engine/format.ts';
import { StateBadge, stateOf } from '../_components/badges.tsx';
import { findingHref, kindLabel } from '../_components/kinds.ts';
import { ShortcutsHelp, ShortcutsHint, useShortcuts } from '../_components/shortcuts.tsx';
import { useDisplayPath } from '../_components/space.tsx';
import { useVirtualFindings } from '../_components/use-virtual-findings.ts';

const rowHeight = 76;

/** Proposals as a virtual list with a keyboard cursor: j/k move, a approves, r rejects, u undoes. */
export function DecisionsList({ filter, canDecide }: { filter: FindingFilterInput; canDecide: boolean }) {
  const { query, rows, total, counted, parent, virtualizer, items } = useVirtualFindings(filter, rowHeight);
  const [cursor, setCursor] = useState(0);
  const router = useRouter();
  const decide = useDecide();
  const undo = useUndoDecision();
  const display = useDisplayPath();
  useEffect(() => {
    if (cursor > 0 && cursor >= total) setCursor(Math.max(0, total - 1));
  }, [cursor, total]);

  const current: FindingRow | undefined = rows[cursor];
  const move = (delta: number) => {
    const next = Math.min(Math.max(0, cursor + delta), Math.max(0, total - 1));
    setCursor(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const act = (verdict: 'approved' | 'rejected') => {
    if (!current || !canDecide || current.appliedRunId) return;
    // With a state filter the decided row leaves the list, so the cursor already points at the next one.
    decide.mutate({ findingId: current.id, verdict }, { onSuccess: () => { if (!filter.state) move(1); } });
  };
  const shortcuts = [
    { key: 'j', label: 'next proposal', run: () => move(1) },
    { key: 'k', label: 'previous proposal', run: () => move(-1) },
    { key: 'a', label: 'approve the selected proposal', run: () => act('approved') },
    { key: 'r', label: 'reject the selected proposal', run: () => act('rejected') },
    { key: 'u', label: 'undo the selected decision', run: () => current?.verdict && !current.appliedRunId && undo.mutate(current.id) },
    { key: 'Enter', label: 'open the selected finding', run: () => current && router.push(findingHref(current)) },
  ];
  const { helpOpen, setHelpOpen } = useShortcuts(shortcuts);

  if (query.error) return <p role="alert" className="text-red-800">{query.error.message}</p>;
  if (query.isPending) return <p>Loading…</p>;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-700" aria-live="polite" data-testid="list-total">{counted ? `${total.toLocaleString('en')} proposals` : 'Counting proposals…'}</p>
        <ShortcutsHint />
      </div>
      <ShortcutsHelp shortcuts={shortcuts} open={helpOpen} onClose={() => setHelpOpen(false)} />
      {(decide.error ?? undo.error) && <p role="alert" className="text-sm text-red-800">{(decide.error ?? undo.error)!.message}</p>}
      {total === 0 ? (
        <p className="text-slate-700" data-testid="empty-list">Nothing matches.</p>
      ) : (
        <div ref={parent} className="h-[60vh] overflow-auto rounded border border-slate-200 bg-white" data-testid="decisions-list">
          <ul aria-label="Proposals" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rows[item.index];
              const selected = item.index === cursor;
              return (
                <li
                  key={item.key}
                  aria-current={selected ? 'true' : undefined}
                  className={`absolute left-0 w-full border-b border-slate-100 ${selected ? 'bg-blue-50 ring-2 ring-inset ring-blue-700' : ''}`}
                  style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                  onClick={() => setCursor(item.index)}
                  data-testid={selected ? 'selected-proposal' : 'proposal-row'}
                >
                  {row ? (
                    <div className="flex h-full items-center gap-3 px-3">
                      <div className="min-w-0 flex-1">
                        <div className="flex items-center gap-2 text-xs text-slate-700">
                          <span className="rounded bg-slate-100 px-1.5 py-0.5 font-medium text-slate-800">{kindLabel(row.kind)}</span>
                          <span>{row.action ?? 'no proposal'}</span>
                          {row.proposalRule && <code className="hidden sm:inline">{row.proposalRule}</code>}
                        </div>
                        <Link href={findingHref(row)} className="block truncate font-mono text-sm text-blue-900 underline-offset-2 hover:underline" title={display(row.keeperPath ?? row.paths[0] ?? '')}>
                          {display(row.keeperPath ?? row.paths[0] ?? row.id)}
                        </Link>
                        <div className="truncate text-xs text-slate-600">{row.reason}</div>
                      </div>
                      <div className="w-28 shrink-0 text-right text-xs">
                        <StateBadge state={stateOf(row)} />
                        {row.reclaimableBytes > 0 && <div className="mt-1 tabular-nums text-slate-700">{formatBytes(row.reclaimableBytes)}</div>}
                        {row.decidedBy && <div className="mt-1 truncate text-slate-600" title={row.decidedBy}>{row.decidedBy}</div>}
                      </div>
                    </div>
                  ) : (
                    <div className="px-3 py-4 text-sm text-slate-500">Loading…</div>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {current && (
        <div className="flex flex-wrap items-center gap-2 text-sm" aria-label="Selected proposal">
          <span className="text-slate-700">Selected {cursor + 1}:</span>
          <button type="button" className="rounded bg-green-700 px-3 py-1.5 font-medium text-white hover:bg-green-800 disabled:opacity-50" disabled={!canDecide || Boolean(current.appliedRunId)} onClick={() => act('approved')} aria-keyshortcuts="a">Approve</button>
          <button type="button" className="rounded bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800 disabled:opacity-50" disabled={!canDecide || Boolean(current.appliedRunId)} onClick={() => act('rejected')} aria-keyshortcuts="r">Reject</button>
          {current.verdict && !current.appliedRunId && (
            <button type="button" className="rounded border border-slate-400 bg-white px-3 py-1.5 font-medium hover:bg-slate-100 disabled:opacity-50" disabled={!canDecide} onClick={() => undo.mutate(current.id)} aria-keyshortcuts="u">Undo</button>
          )}
        </div>
      )}
    </div>
  );
}
