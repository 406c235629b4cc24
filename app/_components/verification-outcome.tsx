import Link from 'next/link';
import type { Verification } from '@/lib/verification.ts';
import { formatBytes } from '@/engine/format.ts';
import { When } from './when.tsx';

const styles: Record<Verification['outcome'], string> = {
  complete: 'border-green-300 bg-green-50',
  outstanding: 'border-amber-300 bg-amber-50',
  failed: 'border-red-300 bg-red-50',
};

const words: Record<Verification['outcome'], string> = {
  complete: 'complete — every origin entry accounted for, every content conserved',
  outstanding: 'outstanding — nothing lost, origin entries still to fetch',
  failed: 'FAILED — content lost or a file that does not hash as planned',
};

/** A verification's outcome and the counts it rests on, as `reconcile verify` prints them. */
export function VerificationOutcome({ verification }: { verification: Verification }) {
  const { operations, conservation, origins } = verification;
  const pending = origins.sources.filter((source) => source.outstanding.files > 0);
  const waived = origins.sources.filter((source) => source.waived.files > 0);
  return (
    <div className={`rounded border p-3 text-sm ${styles[verification.outcome]}`} data-testid="verification" data-outcome={verification.outcome}>
      <p className="font-semibold">
        Verification {words[verification.outcome]} · {verification.runId ? `run ${verification.runId}` : 'whole space'} · <When at={verification.checkedAt} />
      </p>
      <ul className="mt-1 space-y-0.5">
        <li>
          <span className="font-medium">Operations</span>: {operations.checked.toLocaleString('en')} checked, {operations.problemCount} problem(s)
        </li>
        <li>
          <span className="font-medium">Content conservation</span>: {conservation.contents.toLocaleString('en')} contents,{' '}
          {conservation.inReconciliation.toLocaleString('en')} only in the archive or conflicts by a decision, {conservation.lostCount} lost
        </li>
        <li>
          <span className="font-medium">Origin entries</span>: {origins.entries.toLocaleString('en')}, present {origins.present.toLocaleString('en')} ({origins.weak} by size only),
          outstanding {origins.outstanding.files.toLocaleString('en')} ({formatBytes(origins.outstanding.bytes)})
          {origins.waived.files > 0 && <>, waived {origins.waived.files.toLocaleString('en')}</>}
        </li>
        <li className="text-xs text-slate-700">
          Read again: {verification.read.files.toLocaleString('en')} files, {formatBytes(verification.read.bytes)}
        </li>
      </ul>
      {pending.length > 0 && (
        <div className="mt-2 text-xs" data-testid="verification-outstanding">
          <p className="font-medium">Left to do: fetch these from their origins, rescan, plan, approve the placements and apply.</p>
          <ul className="space-y-0.5">
            {pending.map((source) => (
              <li key={source.source} data-testid={`verification-outstanding-${source.source}`}>
                <Link href={`/sources/${encodeURIComponent(source.source)}#recovery`} className="font-medium text-blue-800 underline">
                  {source.source}
                </Link>
                : {source.outstanding.files} outstanding (
                {Object.entries(source.byReason)
                  .map(([reason, tally]) => `${reason} ${tally.files}`)
                  .join(', ')}
                )
              </li>
            ))}
          </ul>
        </div>
      )}
      {waived.length > 0 && (
        <ul className="mt-2 space-y-0.5 text-xs" data-testid="verification-waived">
          {waived.map((source) => (
            <li key={source.source}>
              <span className="font-medium">{source.source}</span>: {source.waived.files} waived
              {source.waivedSample[0] && (
                <> (e.g. <span className="font-mono">{source.waivedSample[0].relPath}</span>: {source.waivedSample[0].waiver}, by {source.waivedSample[0].decidedBy})</>
              )}
            </li>
          ))}
        </ul>
      )}
      {conservation.lost.length > 0 && (
        <ul className="mt-2 space-y-0.5 text-xs text-red-900" data-testid="verification-lost">
          {conservation.lost.map((lost, index) => (
            <li key={index}>
              {lost.reason}: <span className="font-mono">{lost.lastSeen[0]}</span>
              {lost.survivesAt.length > 0 && <> (survives only at <span className="font-mono">{lost.survivesAt[0]}</span>)</>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
