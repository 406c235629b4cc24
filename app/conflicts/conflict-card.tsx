'use client';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useDecide } from '@/lib/hooks/use-decide.ts';
import { useUndoDecision } from '@/lib/hooks/use-undo-decision.ts';
import type { FindingDetail } from '@/lib/services/findings.ts';
import type { ReviewChoice } from '@/engine/plan/browser.ts';
import { formatBytes } from '@/engine/format.ts';
import { StateBadge, stateOf } from '../_components/badges.tsx';
import { ProposalBox } from '../_components/proposal-box.tsx';
import { useDisplayPath } from '../_components/space.tsx';
import { When } from '../_components/when.tsx';
import { inSpace, VersionsCompare, versionLetter } from '../_components/versions-compare.tsx';
import { moveToDifference } from '../_components/differences.ts';
import { OriginVersions } from '../_components/origin-versions.tsx';
import { RecoveredFrom } from '../_components/recovered-from.tsx';
import { AdvicePanel } from '../_components/advice-panel.tsx';

const button =
  'rounded px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 disabled:cursor-not-allowed disabled:opacity-50';

function chosenWinner(finding: FindingDetail): string | undefined {
  const { choice } = finding;
  return 'winner' in choice && choice.winner !== undefined ? choice.winner : (finding.keeperPath ?? undefined);
}

/** What the queue's keyboard shortcuts can do on the card in view. */
export interface CardActions {
  winner(): void;
  keepBoth(): void;
  defer(): void;
  /** Moves to the next (1) or previous (-1) difference of the diff on the card. */
  difference(step: 1 | -1): void;
}

/** One conflict: its versions side by side and the three ways to settle it. */
export function ConflictCard({
  finding,
  canDecide,
  onDecided,
  actions,
}: {
  finding: FindingDetail;
  canDecide: boolean;
  onDecided: () => void;
  actions?: RefObject<CardActions | null>;
}) {
  const display = useDisplayPath();
  const decide = useDecide();
  const undo = useUndoDecision();
  const [winner, setWinner] = useState<string | undefined>(chosenWinner(finding));
  const locked = !canDecide || decide.isPending || Boolean(finding.appliedRunId);
  const settle = (verdict: 'approved' | 'deferred', choice?: ReviewChoice) =>
    decide.mutate({ findingId: finding.id, verdict, choice }, { onSuccess: onDecided });
  const name = display(finding.paths[0] ?? finding.id);
  const compare = useRef<HTMLElement>(null);
  const present = finding.members.filter(inSpace);
  useEffect(() => {
    if (!actions) return;
    actions.current = {
      winner: () => !locked && winner && settle('approved', { resolution: 'winner', winner }),
      keepBoth: () => !locked && settle('approved', { resolution: 'keep-both' }),
      defer: () => !locked && settle('deferred'),
      difference: (step) => moveToDifference(compare.current, step),
    };
    return () => {
      actions.current = null;
    };
  });
  return (
    <article aria-labelledby="conflict-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="conflict-card">
      <header className="flex flex-wrap items-start gap-2">
        <h2 id="conflict-heading" className="min-w-0 flex-1 font-mono text-base font-semibold break-all">{name}</h2>
        <StateBadge state={stateOf(finding)} />
        {finding.decidedBy && <span className="text-xs text-slate-700">by {finding.decidedBy} · <When at={finding.decidedAt} /></span>}
      </header>
      <ProposalBox finding={finding} />
      <fieldset className="grid gap-3 md:grid-cols-2" disabled={locked}>
        <legend className="mb-2 text-sm font-semibold">
          {present.length === finding.members.length ? `${present.length} versions in the space` : `${present.length} of ${finding.members.length} versions in the space`} — choose the winner
        </legend>
        {finding.members.map((member) => (
          <label key={member.index} className={`block rounded border p-3 text-sm ${winner === member.path ? 'border-green-700 ring-2 ring-green-700' : 'border-slate-300'}`} data-testid="version">
            <span className="flex items-center gap-2">
              <input type="radio" name={`winner-${finding.id}`} className="h-4 w-4 accent-green-700" value={member.path} checked={winner === member.path} disabled={!inSpace(member)} onChange={() => setWinner(member.path)} />
              <span className="font-semibold">Version {versionLetter(member.index)}</span>
              {member.sourceId && <span className="rounded border border-slate-300 px-1.5 text-xs">{member.sourceId}</span>}
              {member.isKeeper && <span className="rounded bg-green-700 px-1.5 text-xs text-white">proposed</span>}
            </span>
            <span className="mt-1 block font-mono text-xs break-all text-slate-800">{display(member.path)}</span>
            <span className="mt-1 block text-xs text-slate-700 tabular-nums">
              {!inSpace(member)
                ? 'not in the space (known from an origin inventory)'
                : `${member.size === null ? '—' : formatBytes(member.size)} · ${member.mtimeMs === null ? '—' : new Date(member.mtimeMs).toISOString().replace('T', ' ').slice(0, 19)} UTC · ${member.fullHash ? member.fullHash.slice(0, 12) : 'not hashed'}`}
            </span>
          </label>
        ))}
      </fieldset>
      <OriginVersions finding={finding} members={finding.members} />
      <RecoveredFrom recovered={finding.recovered} />
      <VersionsCompare finding={finding} ref={compare} />
      <AdvicePanel findingId={finding.id} />
      <div className="flex flex-wrap gap-2" data-testid="conflict-actions">
        <button type="button" className={`${button} bg-green-700 text-white hover:bg-green-800`} disabled={locked || !winner} onClick={() => winner && settle('approved', { resolution: 'winner', winner })} aria-keyshortcuts="w">
          Keep the chosen winner
        </button>
        <button type="button" className={`${button} bg-blue-700 text-white hover:bg-blue-800`} disabled={locked} onClick={() => settle('approved', { resolution: 'keep-both' })} aria-keyshortcuts="b">
          Keep both (other to conflicts folder)
        </button>
        <button type="button" className={`${button} border border-slate-400 bg-white hover:bg-slate-100`} disabled={locked} onClick={() => settle('deferred')} aria-keyshortcuts="d">
          Defer
        </button>
        {finding.verdict && !finding.appliedRunId && (
          <button type="button" className={`${button} ml-auto border border-slate-400 bg-white hover:bg-slate-100`} disabled={!canDecide || undo.isPending} onClick={() => undo.mutate(finding.id)}>
            Undo decision
          </button>
        )}
      </div>
      {!canDecide && <p className="text-xs text-slate-600">Deciding needs the reviewer role.</p>}
      {(decide.error ?? undo.error) && <p role="alert" className="text-sm text-red-800">{(decide.error ?? undo.error)!.message}</p>}
    </article>
  );
}
