'use client';
import type { FindingDetail, Member } from '@/lib/services/findings.ts';
import { formatBytes } from '@/lib/format.ts';
import { useDisplayPath } from './space.tsx';

function mtime(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * Every member of a finding with source, path, size, mtime and hash; fields that differ between
 * members are highlighted. With `keep`, each row has a keep/archive toggle.
 */
export function MembersTable({
  finding,
  keep,
  onToggle,
  disabled,
}: {
  finding: FindingDetail;
  keep?: Set<string>;
  onToggle?: (member: Member) => void;
  disabled?: boolean;
}) {
  const display = useDisplayPath();
  const differs = (field: string) => finding.differences.includes(field);
  const cell = (field: string) => `px-3 py-2 tabular-nums ${differs(field) ? 'bg-amber-50 font-semibold text-amber-900' : ''}`;
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <table className="w-full border-collapse text-sm" data-testid="members-table">
        <caption className="sr-only">Members of this finding</caption>
        <thead>
          <tr className="border-b text-left text-slate-700">
            {keep && <th scope="col" className="px-3 py-2">Keep</th>}
            <th scope="col" className="px-3 py-2">Source</th>
            <th scope="col" className="px-3 py-2">Path</th>
            <th scope="col" className="px-3 py-2 text-right">Size</th>
            <th scope="col" className="px-3 py-2">Modified (UTC)</th>
            <th scope="col" className="px-3 py-2">Hash</th>
          </tr>
        </thead>
        <tbody>
          {finding.members.map((member) => {
            const kept = keep?.has(member.path) ?? false;
            return (
              <tr key={member.index} className={`border-b last:border-0 ${member.isKeeper ? 'bg-green-50' : ''}`} data-testid="member-row">
                {keep && (
                  <td className="px-3 py-2">
                    <label className="inline-flex items-center gap-2 whitespace-nowrap">
                      <input type="checkbox" className="h-4 w-4 accent-green-700" checked={kept} disabled={disabled} onChange={() => onToggle?.(member)} />
                      <span className={kept ? 'text-green-900' : 'text-slate-700'}>{kept ? 'keep' : 'archive'}</span>
                    </label>
                  </td>
                )}
                <td className="px-3 py-2">{member.sourceId ?? '—'}</td>
                <td className="px-3 py-2 font-mono text-xs break-all">
                  {display(member.path)}
                  {member.isKeeper && <span className="ml-2 rounded bg-green-700 px-1.5 py-0.5 font-sans text-xs text-white">proposed keeper</span>}
                  {member.errorCode && <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 font-sans text-xs text-red-900">{member.errorCode}</span>}
                </td>
                <td className={`${cell('size')} text-right whitespace-nowrap`}>{member.size === null ? '—' : formatBytes(member.size)}</td>
                <td className={`${cell('mtimeMs')} whitespace-nowrap`}>{mtime(member.mtimeMs)}</td>
                <td className={`${cell('fullHash')} font-mono text-xs`} title={member.fullHash ?? undefined}>{member.fullHash ? member.fullHash.slice(0, 12) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {finding.differences.length > 0 && (
        <p className="border-t px-3 py-2 text-xs text-amber-900">Differs between copies: {finding.differences.join(', ')}</p>
      )}
    </div>
  );
}
