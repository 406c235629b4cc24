'use client';
import { useEffect, useState } from 'react';
import { useFinding } from '@/lib/hooks/use-finding.ts';
import type { FindingDetail, Member } from '@/lib/services/findings.ts';
import { formatBytes } from '@/engine/format.ts';
import { DecisionBar } from '../../_components/decision-bar.tsx';
import { MembersTable } from '../../_components/members-table.tsx';
import { ProposalBox } from '../../_components/proposal-box.tsx';
import { useDisplayPath } from '../../_components/space.tsx';
import { AdvicePanel } from '../../_components/advice-panel.tsx';

/** Paths to keep: the reviewer's earlier choice, else the proposed keeper. */
function initialKeep(finding: FindingDetail): Set<string> {
  if ('keep' in finding.choice) return new Set(finding.choice.keep);
  return new Set(finding.keeperPath ? [finding.keeperPath] : finding.paths.slice(0, 1));
}

export function ClusterView({ id, canDecide }: { id: string; canDecide: boolean }) {
  const { data: finding, error, isPending } = useFinding(id);
  const display = useDisplayPath();
  const [keep, setKeep] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (finding) setKeep(initialKeep(finding));
  }, [finding]);
  if (error) return <p role="alert" className="text-red-800">{error.message}</p>;
  if (isPending) return <p>Loading…</p>;
  const toggle = (member: Member) =>
    setKeep((current) => {
      const next = new Set(current);
      if (next.has(member.path)) next.delete(member.path);
      else next.add(member.path);
      return next;
    });
  const archived = finding.paths.filter((member) => !keep.has(member));
  const title = display(finding.keeperPath ?? finding.paths[0] ?? finding.id).split('/').pop();
  return (
    <article aria-labelledby="cluster-heading" className="space-y-4">
      <header>
        <h1 id="cluster-heading" className="text-2xl font-semibold break-all">{title}</h1>
        <p className="text-sm text-slate-700">
          {finding.paths.length} copies · {finding.size !== null ? formatBytes(finding.size) : 'size unknown'} each ·{' '}
          <span className="font-semibold">{formatBytes(finding.reclaimableBytes)} reclaimable</span>
          {finding.hash && <span className="ml-2 font-mono text-xs">xxh128 {finding.hash.slice(0, 16)}</span>}
        </p>
      </header>
      <ProposalBox finding={finding} />
      {finding.keeperPath ? (
        <>
          <MembersTable finding={finding} keep={keep} onToggle={toggle} disabled={!canDecide || Boolean(finding.appliedRunId)} />
          <p className="text-sm text-slate-700" aria-live="polite">
            Keep {keep.size} · archive {archived.length} (moved to the archive folder, never deleted)
          </p>
          {keep.size === 0 && <p role="alert" className="text-sm font-medium text-red-800">Keep at least one copy.</p>}
          <DecisionBar finding={finding} canDecide={canDecide && keep.size > 0} choice={{ keep: [...keep].sort(), archive: archived }} />
        </>
      ) : (
        <>
          <MembersTable finding={finding} />
          <DecisionBar finding={finding} canDecide={canDecide} />
        </>
      )}
      <AdvicePanel findingId={finding.id} />
    </article>
  );
}
