'use client';
import { useJobs } from '@/lib/hooks/use-jobs.ts';
import { formatBytes } from '@/engine/format.ts';
import { ProgressBar } from './progress-bar.tsx';

/** Jobs queued or running, with their live progress (polled while any is active). */
export function LiveJobs({ kind }: { kind?: string }) {
  const { data, error } = useJobs(kind);
  if (error) return <p role="alert" className="text-sm text-red-800">Could not load jobs: {error.message}</p>;
  const active = data?.jobs.filter((job) => job.status === 'queued' || job.status === 'running') ?? [];
  if (!data) return <p className="text-sm text-slate-600">Loading jobs…</p>;
  if (active.length === 0) return <p className="text-sm text-slate-600" data-testid="no-running-jobs">No jobs running.</p>;
  return (
    <ul className="space-y-3" aria-live="polite">
      {active.map((job) => {
        const progress = job.progress ?? {};
        return (
          <li key={job.id} className="rounded border border-slate-200 bg-white p-3" data-testid={`job-${job.id}`}>
            <div className="mb-1 flex flex-wrap justify-between gap-2 text-sm">
              <span className="font-medium">
                {job.kind} #{job.id} · {job.status}
                {progress.phase ? ` · ${progress.phase}` : ''}
              </span>
              <span className="tabular-nums text-slate-700">
                {progress.total ? `${(progress.done ?? 0).toLocaleString('en')} / ${progress.total.toLocaleString('en')}` : ''}
                {progress.bytesTotal ? ` · ${formatBytes(progress.bytesDone ?? 0)} / ${formatBytes(progress.bytesTotal)}` : ''}
              </span>
            </div>
            <ProgressBar label={`${job.kind} #${job.id}`} done={progress.done} total={progress.total} />
            {progress.message && <p className="mt-1 truncate text-xs text-slate-600">{progress.message}</p>}
          </li>
        );
      })}
    </ul>
  );
}
