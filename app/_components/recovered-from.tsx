'use client';
import type { RecoveredFile } from '@/lib/services/recovered-files.ts';
import { useDisplayPath } from './space.tsx';

const strengthWords: Record<RecoveredFile['strength'], string> = {
  strong: 'matches the origin inventory’s hash',
  weak: 'matches by size and modification time only (the inventory has no hash)',
  mismatch: 'does not match what the origin inventory says: it is not placed',
};

function evidenceLine(evidence: Record<string, unknown>): string {
  const parts: string[] = [];
  if (evidence.hashKind) parts.push(`${String(evidence.hashKind)} expected ${String(evidence.expectedHash ?? '—').slice(0, 16)}, found ${String(evidence.actualHash ?? '—').slice(0, 16)}`);
  if (evidence.expectedSize !== undefined) parts.push(`size expected ${String(evidence.expectedSize)}, found ${String(evidence.actualSize ?? '—')}`);
  return parts.join(' · ');
}

/** Fetched files this finding places or flags: "recovered from <origin>", with how they matched and where they go. */
export function RecoveredFrom({ recovered }: { recovered: RecoveredFile[] }) {
  const display = useDisplayPath();
  if (recovered.length === 0) return null;
  return (
    <ul className="space-y-2" data-testid="recovered-from">
      {recovered.map((each, index) => (
        <li
          key={`${each.source}:${each.file ?? index}`}
          className={`rounded border p-3 text-sm ${each.strength === 'mismatch' ? 'border-red-300 bg-red-50' : 'border-green-300 bg-green-50'}`}
          data-testid="recovered-file"
          data-strength={each.strength}
        >
          <p className="font-semibold">
            Recovered from {each.origin ?? each.source} <span className="font-normal text-slate-700">(source {each.source})</span>
          </p>
          {each.originPath && (
            <p className="text-xs">
              Origin path <span className="font-mono break-all">{each.originPath}</span>
            </p>
          )}
          {each.file && (
            <p className="text-xs">
              Fetched file <span className="font-mono break-all">{display(each.file)}</span>
            </p>
          )}
          <p className="mt-1">
            <span className="font-medium">{each.status}</span>: {strengthWords[each.strength]}
          </p>
          {evidenceLine(each.evidence) && <p className="font-mono text-xs break-all text-slate-700">{evidenceLine(each.evidence)}</p>}
          {each.placement && (
            <p className="mt-1 text-xs">
              Placed {each.placement === 'conflicts' ? 'in the run’s conflicts folder (an overwritten version)' : <>at <span className="font-mono break-all">{display(each.placement)}</span></>} once approved and applied.
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
