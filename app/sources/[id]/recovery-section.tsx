'use client';
import { useState } from 'react';
import { useRecovery } from '@/lib/hooks/use-recovery.ts';
import { useRevokeWaiver } from '@/lib/hooks/use-revoke-waiver.ts';
import { useWaive } from '@/lib/hooks/use-waive.ts';
import { useWaivers } from '@/lib/hooks/use-waivers.ts';
import { formatBytes } from '@/engine/format.ts';
import { RecoveryDownloads } from '../../_components/recovery-downloads.tsx';
import { useDisplayPath } from '../../_components/space.tsx';

/** Entries shown per list; the downloads and `reconcile recover` carry all of them. */
const shown = 200;

/**
 * One source's recovery: what is still to fetch (with why and what to do at the origin first), what
 * was fetched and waits for its placement, what was waived; the list, script and command; and, for
 * operators, waiving entries not worth recovering (with a reason) or revoking a waiver.
 */
export function RecoverySection({ sourceId, canWaive }: { sourceId: string; canWaive: boolean }) {
  const { data, error } = useRecovery();
  const waivers = useWaivers(sourceId);
  const waive = useWaive();
  const revoke = useRevokeWaiver();
  const display = useDisplayPath();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  if (error) return <p role="alert" className="text-sm text-red-800">{error.message}</p>;
  const recovery = data?.sources.find((source) => source.source === sourceId);
  if (!recovery) return <p className="text-sm text-slate-600">Loading…</p>;
  const inForce = new Map((waivers.data?.waivers ?? []).map((waiver) => [waiver.relPath, waiver]));
  const toggle = (relPath: string) =>
    setChosen((before) => {
      const next = new Set(before);
      if (!next.delete(relPath)) next.add(relPath);
      return next;
    });
  const submit = () =>
    waive.mutate(
      { source: sourceId, paths: [...chosen], reason },
      {
        onSuccess: () => {
          setChosen(new Set());
          setReason('');
        },
      },
    );
  return (
    <div className="space-y-3 text-sm">
      <p data-testid="source-recovery-counts">
        {recovery.counts.outstanding.toLocaleString('en')} outstanding · {recovery.counts.fetched.toLocaleString('en')} fetched (awaiting placement) ·{' '}
        {recovery.counts.placed.toLocaleString('en')} placed · {recovery.counts.waived.toLocaleString('en')} waived
      </p>
      <p className="text-xs text-slate-700">
        Fetched files land in <code className="break-all">{display(recovery.target)}</code>, origin-relative paths below it.
      </p>
      {recovery.instructions.length > 0 && (
        <ul className="list-disc space-y-0.5 pl-5 text-xs">
          {recovery.instructions.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      <RecoveryDownloads recovery={recovery} />
      {recovery.blocked.length > 0 && (
        <ul className="space-y-1 text-xs text-red-800" data-testid="recovery-blocked">
          {recovery.blocked.map((folder) => (
            <li key={folder.path}>
              <span className="font-mono">{folder.path}</span>: {folder.message}
              {folder.remedy && <span className="block text-slate-800">{folder.remedy}</span>}
            </li>
          ))}
        </ul>
      )}
      {recovery.entries.length > 0 && (
        <fieldset className="space-y-2">
          <legend className="font-medium">Still to fetch</legend>
          <ul className="max-h-96 space-y-1 overflow-auto rounded border border-slate-200 p-2 text-xs" data-testid="recovery-entries">
            {recovery.entries.slice(0, shown).map((entry) => {
              const waiver = inForce.get(entry.path);
              return (
                <li key={entry.path} className="flex items-start gap-2" data-testid="recovery-entry">
                  {canWaive && !waiver && (
                    <input type="checkbox" aria-label={`waive ${entry.path}`} checked={chosen.has(entry.path)} onChange={() => toggle(entry.path)} className="mt-0.5" />
                  )}
                  <span className="min-w-0 flex-1">
                    <span className="font-mono break-all">{entry.path}</span> · {entry.reason}
                    {entry.size !== null && ` · ${formatBytes(entry.size)}`}
                    {entry.remedy && <span className="block text-amber-900">{entry.remedy}</span>}
                    {entry.mismatch && (
                      <span className="block text-red-800">
                        A fetched copy does not match ({entry.mismatch.status}): it stays unplaced; fetch again.
                      </span>
                    )}
                    {waiver && (
                      <span className="block text-slate-700" data-testid="recovery-entry-waived">
                        Waived by {waiver.decidedBy}: {waiver.reason}. Verify counts it as accounted for now; the list drops it at the next plan.
                      </span>
                    )}
                  </span>
                </li>
              );
            })}
          </ul>
          {recovery.entries.length > shown && <p className="text-xs text-slate-700">First {shown} of {recovery.entries.length.toLocaleString('en')} shown; the list has all.</p>}
          {canWaive && (
            <div className="flex flex-wrap items-end gap-2">
              <label className="flex min-w-64 flex-1 flex-col text-xs">
                Why these are not worth recovering
                <input type="text" value={reason} onChange={(event) => setReason(event.target.value)} className="rounded border border-slate-300 px-2 py-1 text-sm" data-testid="waive-reason" />
              </label>
              <button
                type="button"
                className="rounded border border-slate-400 bg-white px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-50"
                disabled={chosen.size === 0 || reason.trim() === '' || waive.isPending}
                onClick={submit}
                data-testid="waive-button"
              >
                Waive {chosen.size || ''} selected
              </button>
            </div>
          )}
          {waive.error && <p role="alert" className="text-sm text-red-800">{waive.error.message}</p>}
        </fieldset>
      )}
      {recovery.fetched.length > 0 && (
        <div>
          <h3 className="font-medium">Fetched, awaiting placement</h3>
          <ul className="max-h-64 space-y-0.5 overflow-auto text-xs" data-testid="recovery-fetched">
            {recovery.fetched.slice(0, shown).map((entry) => (
              <li key={entry.path}>
                <span className="font-mono break-all">{entry.path}</span> · {entry.match === 'strong' ? 'hash matches' : 'size + mtime match'} → {entry.placement === 'conflicts' ? 'conflicts folder' : display(entry.placement)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {inForce.size > 0 && (
        <div>
          <h3 className="font-medium">Waived</h3>
          <ul className="space-y-0.5 text-xs" data-testid="recovery-waived">
            {[...inForce.values()].slice(0, shown).map((waiver) => (
              <li key={waiver.relPath} className="flex flex-wrap items-center gap-2">
                <span className="font-mono break-all">{waiver.relPath}</span> — {waiver.reason} ({waiver.decidedBy}, {waiver.decidedAt.slice(0, 16).replace('T', ' ')})
                {canWaive && (
                  <button type="button" className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100" disabled={revoke.isPending} onClick={() => revoke.mutate({ source: sourceId, paths: [waiver.relPath] })}>
                    Revoke
                  </button>
                )}
              </li>
            ))}
          </ul>
          {revoke.error && <p role="alert" className="text-sm text-red-800">{revoke.error.message}</p>}
        </div>
      )}
    </div>
  );
}
