'use client';
import { useState } from 'react';
import { useModal } from '../_components/use-modal.ts';
import { useBulkCount } from '@/lib/hooks/use-bulk-count.ts';
import { useBulkDecide } from '@/lib/hooks/use-bulk-decide.ts';
import type { FindingFilterInput } from '@/lib/services/finding-filter.ts';

type Verdict = 'approved' | 'rejected';

function describe(filter: FindingFilterInput): string {
  const parts = [
    filter.kind && `kind ${filter.kind}`,
    filter.state && `state ${filter.state}`,
    filter.action && `action ${filter.action}`,
    filter.source && `source ${filter.source}`,
    filter.keeperUnder && `keeper under ${filter.keeperUnder}`,
    filter.othersUnder && `every other copy under ${filter.othersUnder}`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'every open proposal';
}

/** Approve or reject everything the filter matches, after a confirmation that shows how many. */
export function BulkDecide({ filter, canDecide }: { filter: FindingFilterInput; canDecide: boolean }) {
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const dialog = useModal(verdict !== null);
  const count = useBulkCount(filter, verdict !== null);
  const bulk = useBulkDecide();
  const button = 'rounded px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 disabled:opacity-50';
  return (
    <div className="flex flex-wrap items-center gap-2 rounded border border-slate-200 bg-white p-3">
      <span className="text-sm text-slate-800">Bulk by this filter:</span>
      <button type="button" className={`${button} bg-green-700 text-white hover:bg-green-800`} disabled={!canDecide} onClick={() => setVerdict('approved')} data-testid="bulk-approve">
        Approve all matching…
      </button>
      <button type="button" className={`${button} bg-red-700 text-white hover:bg-red-800`} disabled={!canDecide} onClick={() => setVerdict('rejected')} data-testid="bulk-reject">
        Reject all matching…
      </button>
      {bulk.data && <span role="status" className="text-sm text-slate-800">{bulk.data.decided.toLocaleString('en')} decided.</span>}
      {bulk.error && <span role="alert" className="text-sm text-red-800">{bulk.error.message}</span>}
      <dialog ref={dialog} onClose={() => setVerdict(null)} aria-labelledby="bulk-heading" className="m-auto max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40" data-testid="bulk-confirm">
        <div className="space-y-3 p-5">
          <h2 id="bulk-heading" className="text-lg font-semibold">{verdict === 'approved' ? 'Approve' : 'Reject'} in bulk?</h2>
          <p className="text-sm">Matching: {describe(filter)}.</p>
          <p className="text-sm font-medium" data-testid="bulk-count">
            {count.isPending ? 'Counting…' : count.error ? count.error.message : `${count.data.count.toLocaleString('en')} proposals will be ${verdict}.`}
          </p>
          <p className="text-xs text-slate-700">Decisions can be undone until they are applied.</p>
          <div className="flex justify-end gap-2">
            <button type="button" className={`${button} border border-slate-400 bg-white hover:bg-slate-100`} onClick={() => setVerdict(null)} autoFocus>
              Cancel
            </button>
            <button
              type="button"
              className={`${button} ${verdict === 'approved' ? 'bg-green-700 hover:bg-green-800' : 'bg-red-700 hover:bg-red-800'} text-white`}
              disabled={!count.data || count.data.count === 0 || bulk.isPending}
              onClick={() => bulk.mutate({ filter, verdict: verdict! }, { onSettled: () => setVerdict(null) })}
              data-testid="bulk-confirm-button"
            >
              {verdict === 'approved' ? 'Approve' : 'Reject'} {count.data ? count.data.count.toLocaleString('en') : ''}
            </button>
          </div>
        </div>
      </dialog>
    </div>
  );
}
