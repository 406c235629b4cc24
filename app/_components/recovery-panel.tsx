'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useJob } from '@/lib/hooks/use-job.ts';
import { useRecovery } from '@/lib/hooks/use-recovery.ts';
import { useStartFetch } from '@/lib/hooks/use-start-fetch.ts';
import type { SourceRecovery } from '@/lib/services/recovery.ts';
import { ProgressBar } from './progress-bar.tsx';
import { RecoveryDownloads } from './recovery-downloads.tsx';

const countNames = ['outstanding', 'fetched', 'placed', 'waived'] as const;
const countHelp: Record<(typeof countNames)[number], string> = {
  outstanding: 'still to fetch from the origin',
  fetched: 'in the recovery folder, matched, waiting for its placement to be approved and applied',
  placed: 'placed by an apply run',
  waived: 'decided not to recover (with a reason)',
};

/** Which sources are worth a row: anything to fetch, fetched, placed or waived. */
const active = (source: SourceRecovery) => countNames.some((name) => source.counts[name] > 0) || source.blocked.length > 0;

/**
 * The recovery loop per source: outstanding, fetched (awaiting placement), placed, waived; the list
 * and script to download and the command to copy; a fetch from the origins this server reaches,
 * with the job's progress. `compact` leaves out the counts (the findings pages show only what to fetch).
 */
export function RecoveryPanel({ canFetch, compact = false }: { canFetch: boolean; compact?: boolean }) {
  const { data, error } = useRecovery();
  if (error) return <p role="alert" className="text-sm text-red-800">{error.message}</p>;
  if (!data) return <p className="text-sm text-slate-600">Loading the recovery lists…</p>;
  const sources = data.sources.filter(compact ? (source) => source.files.length > 0 : active);
  if (sources.length === 0) {
    return compact ? null : (
      <p className="text-sm text-slate-600" data-testid="recovery-none">
        Nothing to recover: the latest plan finds every origin entry in the space.
      </p>
    );
  }
  const fetchable = data.sources.some((source) => source.fetchable && source.files.length > 0);
  return (
    <section aria-labelledby="recovery-heading" className="space-y-3 rounded border border-slate-200 bg-white p-3" data-testid="recovery-panel">
      <h2 id="recovery-heading" className="text-base font-semibold">{compact ? 'To fetch from the origins' : 'Recovery from the origins'}</h2>
      <ul className="space-y-3 text-sm">
        {sources.map((source) => (
          <li key={source.source} className="space-y-1 border-t pt-2 first:border-0 first:pt-0" data-testid={`recovery-${source.source}`}>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span>
                <Link href={`/sources/${encodeURIComponent(source.source)}#recovery`} className="font-medium text-blue-800 underline">
                  {source.source}
                </Link>{' '}
                <span className="text-xs text-slate-600">
                  {source.kind} · {source.files.length.toLocaleString('en')} files to fetch from <span className="font-mono">{source.origin ?? source.kind}</span>
                </span>
              </span>
              {!compact && (
                <dl className="flex gap-3 text-xs tabular-nums">
                  {countNames.map((name) => (
                    <div key={name} title={countHelp[name]} className="text-center">
                      <dt className="text-slate-600">{name}</dt>
                      <dd className={`text-base font-semibold ${name === 'outstanding' && source.counts[name] > 0 ? 'text-amber-800' : ''}`} data-testid={`recovery-${source.source}-${name}`}>
                        {source.counts[name].toLocaleString('en')}
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
            </div>
            <RecoveryDownloads recovery={source} />
            {source.blocked.length > 0 && (
              <p className="text-xs text-red-800">{source.blocked.length} folder(s) the origin refused to read: see the source page.</p>
            )}
          </li>
        ))}
      </ul>
      {!compact && fetchable && <FetchControl canFetch={canFetch} />}
    </section>
  );
}

/** Starts a fetch job and follows its progress; when it ends, the counts are read again and the next step is named. */
function FetchControl({ canFetch }: { canFetch: boolean }) {
  const client = useQueryClient();
  const start = useStartFetch();
  const [jobId, setJobId] = useState<number | null>(null);
  const { data: job } = useJob(jobId);
  const running = job?.status === 'queued' || job?.status === 'running';
  const finished = job && !running;
  useEffect(() => {
    if (finished) void client.invalidateQueries({ queryKey: ['recovery'] });
  }, [finished, client]);
  const progress = job?.progress ?? {};
  return (
    <div className="space-y-1 border-t pt-2">
      <button
        type="button"
        className="rounded bg-blue-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 disabled:opacity-50"
        disabled={!canFetch || start.isPending || running}
        onClick={() => start.mutate([], { onSuccess: (result) => setJobId(result.jobId) })}
        data-testid="start-fetch"
      >
        Fetch from the origins this server reaches
      </button>
      {!canFetch && <span className="ml-2 text-xs text-slate-600">Operators start fetches.</span>}
      {start.error && <p role="alert" className="text-sm text-red-800">{start.error.message}</p>}
      {job && (
        <div className="text-xs" aria-live="polite" data-testid="fetch-job" data-status={job.status}>
          <ProgressBar label={`fetch #${job.id}`} done={progress.done} total={progress.total} />
          <p className="mt-1">
            Fetch #{job.id} · {job.status}
            {progress.message ? ` · ${progress.message}` : ''}
          </p>
          {job.status === 'succeeded' && <p className="font-medium">Next: rescan and plan (<code>reconcile scan</code>, <code>reconcile plan</code>), then approve the placements and apply.</p>}
          {job.error && <p className="text-red-800">{job.error}</p>}
        </div>
      )}
    </div>
  );
}
