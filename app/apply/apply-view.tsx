'use client';
import { useState } from 'react';
import { useApply } from '@/lib/hooks/use-apply.ts';
import { useStartApply } from '@/lib/hooks/use-start-apply.ts';
import { formatBytes } from '@/engine/format.ts';
import { ConfirmDialog } from '../_components/confirm-dialog.tsx';
import { useDisplayPath } from '../_components/space.tsx';
import { useUrlFilter } from '../_components/use-url-filter.ts';
import { When } from '../_components/when.tsx';
import { RunPanel } from './run-panel.tsx';

const keys = ['run'] as const;

const checkStyles: Record<string, string> = {
  ready: 'text-green-900',
  'source-missing': 'text-red-800',
  'source-changed': 'text-red-800',
  'destination-exists': 'text-amber-900',
};

/** Queued approvals → dry-run preview → start → live run with verification → rollback. */
export function ApplyView({ canApply }: { canApply: boolean }) {
  const { data, error, isPending } = useApply();
  const start = useStartApply();
  const [confirming, setConfirming] = useState(false);
  const [values, update] = useUrlFilter(keys);
  const display = useDisplayPath();
  if (error) return <p role="alert" className="text-red-800">{error.message}</p>;
  if (isPending) return <p>Loading…</p>;
  const { preview, runs } = data;
  const selectedRun = values.run || runs[0]?.id || null;
  const counts = Object.entries(preview.counts).map(([op, count]) => `${count.toLocaleString('en')} ${op}`).join(', ');
  return (
    <div className="space-y-6">
      <section aria-labelledby="queued-heading" className="space-y-3 rounded border border-slate-200 bg-white p-4">
        <h2 id="queued-heading" className="text-lg font-semibold">Queued approvals</h2>
        <p className="text-sm" data-testid="apply-summary">
          {preview.decisions.toLocaleString('en')} approved decisions → {preview.totalOperations.toLocaleString('en')} operations{counts ? ` (${counts})` : ''}
          {preview.copyBytes > 0 && `, ${formatBytes(preview.copyBytes)} to copy`}.
          {preview.blocked > 0 && <span className="ml-1 font-medium text-red-800">{preview.blocked} would be skipped by their checks right now.</span>}
        </p>
        {preview.resumeRun && <p className="text-sm text-amber-900">Run {preview.resumeRun} did not finish; starting resumes it first.</p>}
        {preview.totalOperations > 0 && (
          <details open className="rounded border border-slate-200">
            <summary className="cursor-pointer px-3 py-2 text-sm font-medium">Dry run: the exact operations</summary>
            <div className="max-h-80 overflow-auto">
              <table className="w-full border-collapse text-xs" data-testid="apply-preview">
                <thead className="sticky top-0 bg-slate-100 text-left">
                  <tr>
                    <th scope="col" className="px-2 py-1">Op</th>
                    <th scope="col" className="px-2 py-1">From</th>
                    <th scope="col" className="px-2 py-1">To</th>
                    <th scope="col" className="px-2 py-1 text-right">Size</th>
                    <th scope="col" className="px-2 py-1">Check now</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.operations.map((op) => (
                    <tr key={op.id} className="border-t align-top">
                      <td className="px-2 py-1 font-medium">{op.op}</td>
                      <td className="px-2 py-1 font-mono break-all">{op.from ? display(op.from) : '—'}</td>
                      <td className="px-2 py-1 font-mono break-all">{display(op.to)}</td>
                      <td className="px-2 py-1 text-right tabular-nums whitespace-nowrap">{op.size === null ? '' : formatBytes(op.size)}</td>
                      <td className={`px-2 py-1 whitespace-nowrap ${checkStyles[op.check] ?? ''}`}>{op.check}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {preview.totalOperations > preview.operations.length && (
                <p className="px-3 py-2 text-xs text-slate-700">First {preview.operations.length.toLocaleString('en')} of {preview.totalOperations.toLocaleString('en')} operations shown.</p>
              )}
            </div>
          </details>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            className="rounded bg-blue-700 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 disabled:opacity-50"
            disabled={!canApply || (preview.totalOperations === 0 && !preview.resumeRun) || start.isPending}
            onClick={() => setConfirming(true)}
            data-testid="start-apply"
          >
            {preview.resumeRun ? 'Resume apply' : 'Start apply'}
          </button>
          {!canApply && <span className="text-xs text-slate-700">Starting an apply needs the operator role.</span>}
          {start.data?.state === 'nothing' && <span role="status" className="text-sm">Nothing new to apply.</span>}
          {start.error && <span role="alert" className="text-sm text-red-800">{start.error.message}</span>}
        </div>
        <ConfirmDialog
          open={confirming}
          title="Start the apply?"
          confirmLabel={`Apply ${preview.totalOperations.toLocaleString('en')} operations`}
          tone="primary"
          busy={start.isPending}
          testId="confirm-apply"
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            start.mutate(undefined, {
              onSuccess: (result) => {
                setConfirming(false);
                if (result.runId) update({ run: result.runId });
              },
              onError: () => setConfirming(false),
            })
          }
        >
          Files are moved into the archive and conflicts folders as previewed, journaled first. The run can be rolled back.
        </ConfirmDialog>
      </section>

      {selectedRun && <RunPanel runId={selectedRun} canApply={canApply} />}

      {runs.length > 0 && (
        <section aria-labelledby="runs-heading" className="rounded border border-slate-200 bg-white p-4">
          <h2 id="runs-heading" className="mb-2 text-lg font-semibold">Runs</h2>
          <ul className="divide-y text-sm">
            {runs.map((run) => (
              <li key={run.id} className="flex flex-wrap items-center gap-3 py-2">
                <button type="button" className={`font-mono text-blue-800 underline ${run.id === selectedRun ? 'font-bold' : ''}`} onClick={() => update({ run: run.id })} aria-current={run.id === selectedRun ? 'true' : undefined}>
                  {run.id}
                </button>
                <span>{run.status}</span>
                <span className="text-slate-700">{run.doneCount}/{run.opCount} done · by {run.createdBy} · <When at={run.createdAt} /></span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
