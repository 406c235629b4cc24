'use client';
import { useFinding } from '@/lib/hooks/use-finding.ts';
import { DecisionBar } from '../../../_components/decision-bar.tsx';
import { kindLabel } from '../../../_components/kinds.ts';
import { MembersTable } from '../../../_components/members-table.tsx';
import { ProposalBox } from '../../../_components/proposal-box.tsx';
import { useDisplayPath } from '../../../_components/space.tsx';
import { VersionsCompare } from '../../../_components/versions-compare.tsx';
import { OriginVersions } from '../../../_components/origin-versions.tsx';
import { RecoveredFrom } from '../../../_components/recovered-from.tsx';

/** Any finding: the proposal and its evidence, every member, and the decision. */
export function FindingView({ id, canDecide }: { id: string; canDecide: boolean }) {
  const { data: finding, error, isPending } = useFinding(id);
  const display = useDisplayPath();
  if (error) return <p role="alert" className="text-red-800">{error.message}</p>;
  if (isPending) return <p>Loading…</p>;
  return (
    <article aria-labelledby="finding-heading" className="space-y-4">
      <header>
        <p className="text-sm text-slate-700">{kindLabel(finding.kind)} · rule <code>{finding.rule}</code></p>
        <h1 id="finding-heading" className="font-mono text-lg font-semibold break-all">{display(finding.paths[0] ?? finding.id)}</h1>
      </header>
      <ProposalBox finding={finding} />
      <RecoveredFrom recovered={finding.recovered} />
      <MembersTable finding={finding} />
      <OriginVersions finding={finding} members={finding.members} />
      {finding.kind === 'conflict' && <VersionsCompare finding={finding} />}
      <DecisionBar finding={finding} canDecide={canDecide} />
      {/* Assist-only AI advice (docs/AI engineer): <AdvicePanel findingId={finding.id} /> goes here. */}
    </article>
  );
}
