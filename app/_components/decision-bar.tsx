'use client';
import { useDecide } from '@/lib/hooks/use-decide.ts';
import { useUndoDecision } from '@/lib/hooks/use-undo-decision.ts';
import type { FindingRow } from '@/lib/services/findings.ts';
import type { ReviewChoice } from '@/engine/plan/browser.ts';
import { StateBadge, stateOf } from './badges.tsx';
import { When } from './when.tsx';

const button =
  'rounded px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 disabled:cursor-not-allowed disabled:opacity-50';

/**
 * Approve / reject / defer one finding's proposal (with the reviewer's choice, where the view
 * offers one), and undo a decision until it has been applied.
 */
export function DecisionBar({
  finding,
  choice,
  canDecide,
  approveLabel = 'Approve',
}: {
  finding: FindingRow;
  choice?: ReviewChoice;
  canDecide: boolean;
  approveLabel?: string;
}) {
  const decide = useDecide();
  const undo = useUndoDecision();
  const state = stateOf(finding);
  const busy = decide.isPending || undo.isPending;
  const error = decide.error ?? undo.error;
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="decision-bar">
      <span className="text-sm text-slate-700">
        <StateBadge state={state} />
        {finding.decidedBy && (
          <span className="ml-2 text-xs">
            by {finding.decidedBy} · <When at={finding.decidedAt} />
          </span>
        )}
      </span>
      <div className="ml-auto flex flex-wrap gap-2">
        {finding.verdict && !finding.appliedRunId ? (
          <button type="button" className={`${button} border border-slate-400 bg-white text-slate-900 hover:bg-slate-100`} disabled={!canDecide || busy} onClick={() => undo.mutate(finding.id)}>
            Undo decision
          </button>
        ) : null}
        <button type="button" className={`${button} bg-green-700 text-white hover:bg-green-800`} disabled={!canDecide || busy || Boolean(finding.appliedRunId)} onClick={() => decide.mutate({ findingId: finding.id, verdict: 'approved', choice })} aria-keyshortcuts="a">
          {approveLabel}
        </button>
        <button type="button" className={`${button} bg-red-700 text-white hover:bg-red-800`} disabled={!canDecide || busy || Boolean(finding.appliedRunId)} onClick={() => decide.mutate({ findingId: finding.id, verdict: 'rejected' })} aria-keyshortcuts="r">
          Reject
        </button>
        <button type="button" className={`${button} border border-slate-400 bg-white text-slate-900 hover:bg-slate-100`} disabled={!canDecide || busy || Boolean(finding.appliedRunId)} onClick={() => decide.mutate({ findingId: finding.id, verdict: 'deferred' })} aria-keyshortcuts="d">
          Defer
        </button>
      </div>
      {!canDecide && <p className="w-full text-xs text-slate-600">Deciding needs the reviewer role.</p>}
      {error && <p role="alert" className="w-full text-sm text-red-800">{error.message}</p>}
    </div>
  );
}
