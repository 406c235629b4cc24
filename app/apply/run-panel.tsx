'use client';
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useApplyRun } from '@/lib/hooks/use-apply-run.ts';
import { useJob } from '@/lib/hooks/use-job.ts';
import { useRollback } from '@/lib/hooks/use-rollback.ts';
import { useStartApply } from '@/lib/hooks/use-start-apply.ts';
import { formatBytes } from '@/engine/format.ts';
import { ConfirmDialog } from '../_components/confirm-dialog.tsx';
import { ProgressBar } from '../_components/progress-bar.tsx';
import { useDisplayPath } from '../_components/space.tsx';
import { VerificationOutcome } from '../_components/verification-outcome.tsx';
import { When } from '../_components/when.tsx';
import type { Verification } from '@/lib/verification.ts';

const jobActive = (status: string | undefined) => status === undefined || status === 'queued' || status === 'running';

/** One run: live progress while it runs, then the verification and any skipped steps; rollback. */
export function RunPanel({ runId, canApply }: { runId: string; canApply: boolean }) {
  const rollback = useRollback();
  const rollbackJob = useJob(rollback.data?.jobId ?? null);
  const retry = useStartApply();
  const [applyJobId, setApplyJobId] = useState<number | null>(null);
  const applyJob = useJob(applyJobId);
  // Follow the run while its jobs work: a queued rollback changes it only once the worker takes
  // it, and the apply job writes the verification after the run itself has ended.
  const following =
    (Boolean(rollback.data) && jobActive(rollbackJob.data?.status)) || (applyJobId !== null && jobActive(applyJob.data?.status)) || retry.isSuccess;
  const { data: run, error } = useApplyRun(runId, following);
  useEffect(() => setApplyJobId(run?.jobId ?? null), [run?.jobId]);
  const job = rollback.data ? rollbackJob : applyJob;
  const client = useQueryClient();
  // The run's last poll may have landed between the run's end and the job's verification write;
  // once the job has ended, read the run once more so the verification shows.
  const jobStatus = job.data?.status;
  useEffect(() => {
    if (jobStatus && !jobActive(jobStatus)) void client.invalidateQueries({ queryKey: ['apply-run', runId] });
  }, [jobStatus, runId, client]);
  const status = run?.status;
  // When a run starts, ends or is rolled back, the queue and the run list change with it.
  useEffect(() => {
    if (status) void client.invalidateQueries({ queryKey: ['apply'] });
  }, [status, client]);
  const [confirming, setConfirming] = useState(false);
  const display = useDisplayPath();
  if (error) return <p role="alert" className="text-red-800">{error.message}</p>;
  if (!run) return <p>Loading the run…</p>;
  const running = following || run.status === 'queued' || run.status === 'running' || run.status === 'rolling-back';
  const progress = job.data?.progress;
  // Stored before verifications had an outcome: not shown (those checks did not read the bytes).
  const stored = run.verification as Verification | null;
  const verification = stored?.outcome ? stored : null;
  return (
    <section aria-labelledby="run-heading" className="space-y-3 rounded border border-slate-200 bg-white p-4" data-testid="run-panel">
      <h2 id="run-heading" className="text-lg font-semibold">
        Run <span className="font-mono">{run.id}</span> · <span data-testid="run-status">{run.status}</span>
      </h2>
      <p className="text-sm text-slate-700">
        Started by {run.createdBy} · <When at={run.createdAt} /> · {run.decisions} decisions · {run.opCount} operations
      </p>
      <div aria-live="polite" className="space-y-1">
        <ProgressBar label={`Run ${run.id}`} done={progress?.done ?? run.doneCount + run.skippedCount + run.failedCount} total={progress?.total ?? run.opCount} />
        <p className="text-sm tabular-nums">
          {run.doneCount.toLocaleString('en')} done · {run.skippedCount} skipped · {run.failedCount} failed
          {run.bytesTotal > 0 && ` · ${formatBytes(run.bytesDone)} of ${formatBytes(run.bytesTotal)}`}
          {running && progress?.phase && ` · ${progress.phase}`}
        </p>
        {running && progress?.message && <p className="truncate text-xs text-slate-600">{display(progress.message)}</p>}
      </div>
      {run.error && <p role="alert" className="text-sm text-red-800">{run.error}</p>}
      {run.status === 'finished-with-failures' && (
        <div role="alert" className="flex flex-wrap items-center gap-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="run-failures">
          <p>
            Finished with {run.failedCount} failed {run.failedCount === 1 ? 'step' : 'steps'} (listed below). They wait in this run and block nothing else;
            fix what each names, then retry them.
          </p>
          <button
            type="button"
            className="rounded border border-slate-700 bg-white px-3 py-1.5 font-medium hover:bg-slate-50 disabled:opacity-50"
            disabled={!canApply || retry.isPending}
            onClick={() => retry.mutate(run.id, { onSuccess: (result) => setApplyJobId(result.jobId) })}
            data-testid="retry-failed"
          >
            Retry the failed steps
          </button>
          {retry.error && <span className="text-red-800">{retry.error.message}</span>}
        </div>
      )}
      {rollbackJob.data?.error && <p role="alert" className="text-sm text-red-800">Rollback failed: {rollbackJob.data.error}</p>}
      {verification && <VerificationOutcome verification={verification} />}
      {run.problems.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer font-medium">{run.problems.length} skipped or failed steps</summary>
          <ul className="mt-1 space-y-0.5 text-xs">
            {run.problems.map((problem) => (
              <li key={problem.id}>
                <span className="font-medium">{problem.status}</span> {problem.op} <span className="font-mono">{display(problem.path)}</span> — {problem.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {run.rollback != null && <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs">{JSON.stringify(run.rollback, null, 2)}</pre>}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          className="rounded border border-red-700 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-50"
          disabled={!canApply || running || run.status === 'rolled-back' || rollback.isPending}
          onClick={() => setConfirming(true)}
          data-testid="rollback"
        >
          Roll back this run…
        </button>
        {!canApply && <span className="text-xs text-slate-700">Rolling back needs the operator role.</span>}
        {rollback.error && <span role="alert" className="text-sm text-red-800">{rollback.error.message}</span>}
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Roll back run ${run.id}?`}
        confirmLabel="Roll back"
        busy={rollback.isPending}
        testId="confirm-rollback"
        onCancel={() => setConfirming(false)}
        onConfirm={() => rollback.mutate(run.id, { onSettled: () => setConfirming(false) })}
      >
        Every step of the run is reversed in order, checking each file first; files changed since are left alone and listed.
      </ConfirmDialog>
    </section>
  );
}
