'use client';
import { useQueueItem } from '@/lib/hooks/use-queue-item.ts';
import { reviewStates } from '@/lib/services/finding-filter.ts';
import { ShortcutsHelp, ShortcutsHint, useShortcuts } from '../_components/shortcuts.tsx';
import { useUrlFilter } from '../_components/use-url-filter.ts';
import { useRef } from 'react';
import { ConflictCard, type CardActions } from './conflict-card.tsx';

const keys = ['i', 'state', 'source'] as const;

/** The conflict queue, one card at a time; the position lives in the URL (?i=N). */
export function ConflictQueue({ canDecide }: { canDecide: boolean }) {
  const [values, update] = useUrlFilter(keys);
  const index = Math.max(0, Number.parseInt(values.i || '0', 10) || 0);
  const filter = { kind: 'conflict' as const, state: (values.state || undefined) as (typeof reviewStates)[number] | undefined, source: values.source || undefined };
  const { data, error, isPending } = useQueueItem(filter, index);
  const total = data?.total ?? 0;
  const go = (next: number) => update({ i: String(Math.min(Math.max(0, next), Math.max(0, total - 1))) });
  const actions = useRef<CardActions | null>(null);
  const shortcuts = [
    { key: 'w', label: 'keep the chosen winner', run: () => actions.current?.winner() },
    { key: 'b', label: 'keep both (other to the conflicts folder)', run: () => actions.current?.keepBoth() },
    { key: 'd', label: 'defer', run: () => actions.current?.defer() },
    { key: 'n', label: 'next difference in the diff', run: () => actions.current?.difference(1) },
    { key: 'p', label: 'previous difference in the diff', run: () => actions.current?.difference(-1) },
    { key: 'j', label: 'next conflict', run: () => go(index + 1) },
    { key: 'k', label: 'previous conflict', run: () => go(index - 1) },
    { key: 'ArrowRight', label: 'next conflict', run: () => go(index + 1) },
    { key: 'ArrowLeft', label: 'previous conflict', run: () => go(index - 1) },
  ];
  const { helpOpen, setHelpOpen } = useShortcuts(shortcuts);
  const navButton = 'rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-blue-700';
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm text-slate-800">
          Show
          <select className="mt-1 block rounded border border-slate-400 bg-white px-2 py-1 text-sm" value={values.state} onChange={(event) => update({ state: event.target.value, i: '' })}>
            <option value="">All conflicts</option>
            {reviewStates.map((state) => (
              <option key={state} value={state}>{state}</option>
            ))}
          </select>
        </label>
        <nav aria-label="Conflict queue" className="ml-auto flex items-center gap-2">
          <button type="button" className={navButton} onClick={() => go(index - 1)} disabled={index === 0} aria-keyshortcuts="k">← Previous</button>
          <span className="text-sm tabular-nums" aria-live="polite" data-testid="queue-position">
            {total === 0 ? '0 of 0' : `${index + 1} of ${total.toLocaleString('en')}`}
          </span>
          <button type="button" className={navButton} onClick={() => go(index + 1)} disabled={index >= total - 1} aria-keyshortcuts="j">Next →</button>
        </nav>
      </div>
      <ShortcutsHint />
      <ShortcutsHelp shortcuts={shortcuts.filter((shortcut) => !shortcut.key.startsWith('Arrow'))} open={helpOpen} onClose={() => setHelpOpen(false)} />
      {error && <p role="alert" className="text-red-800">{error.message}</p>}
      {isPending && <p>Loading…</p>}
      {data && !data.finding && <p className="text-slate-700" data-testid="empty-list">No conflicts here.</p>}
      {data?.finding && <ConflictCard key={data.finding.id} finding={data.finding} canDecide={canDecide} onDecided={() => go(index + 1)} actions={actions} />}
    </div>
  );
}
