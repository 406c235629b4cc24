'use client';
import type { FindingDetail } from '@/lib/services/findings.ts';
import { useDisplayPath } from './space.tsx';

/** What the plan proposes, which priority rule decided it, and the evidence behind the finding. */
export function ProposalBox({ finding }: { finding: FindingDetail }) {
  const display = useDisplayPath();
  return (
    <div className="rounded border border-blue-200 bg-blue-50 p-3 text-sm" data-testid="proposal">
      {finding.action ? (
        <p>
          <span className="font-semibold">Proposed: {finding.action}</span>
          {finding.proposalRule && (
            <>
              {' '}— decided by rule <code className="rounded bg-white px-1">{finding.proposalRule}</code>
            </>
          )}
        </p>
      ) : (
        <p className="font-semibold">No proposal for this finding yet.</p>
      )}
      {finding.reason && <p className="mt-1 text-slate-800">{finding.reason}</p>}
      {finding.keeperPath && (
        <p className="mt-1 break-all text-slate-800">
          Keeper: <span className="font-mono text-xs">{display(finding.keeperPath)}</span>
        </p>
      )}
      <details className="mt-2">
        <summary className="cursor-pointer text-slate-800">Evidence (finding rule <code>{finding.rule}</code>) and planned operations</summary>
        <pre className="mt-2 max-h-64 overflow-auto rounded bg-white p-2 text-xs">{JSON.stringify({ evidence: finding.evidence, operations: finding.operations }, null, 2)}</pre>
      </details>
    </div>
  );
}
