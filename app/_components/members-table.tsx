'use client';
import type { FindingDetail, Member } from '@/lib/services/findings.ts';
import { formatBytes } from '@/engine/format.ts';
import { useDisplayPath } from './space.tsx';
import { Thumbnail } from './thumbnail.tsx';

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
  const toggleOf = (member: Member) =>
    keep && (
      <label className="inline-flex items-center gap-2 whitespace-nowrap">
        <input type="checkbox" className="h-4 w-4 accent-green-700" checked={keep.has(member.path)} disabled={disabled} onChange={() => onToggle?.(member)} />
        <span className={keep.has(member.path) ? 'text-green-900' : 'text-slate-700'}>{keep.has(member.path) ? 'keep' : 'archive'}</span>
      </label>
    );
  const badges = (member: Member) => (
    <>
      {member.isKeeper && <span className="ml-2 inline-block rounded bg-green-700 px-1.5 py-0.5 font-sans text-xs whitespace-nowrap text-white">proposed keeper</span>}
      {member.errorCode && <span className="ml-2 inline-block rounded bg-red-100 px-1.5 py-0.5 font-sans text-xs text-red-900">{member.errorCode}</span>}
    </>
  );
  return (
    <div className="rounded border border-slate-200 bg-white">
      {/* Phones: one card per member. */}
      <ul className="divide-y md:hidden" aria-label="Members of this finding">
        {finding.members.map((member) => (
          <li key={member.index} className={`space-y-1 p-3 text-sm ${member.isKeeper ? 'bg-green-50' : ''}`} data-testid="member-card">
            <div className="flex items-center justify-between gap-2">
              <span className="font-medium">{member.sourceId ?? '—'}</span>
              {toggleOf(member)}
            </div>
            <p className="font-mono text-xs break-all">
              {display(member.path)}
              {badges(member)}
            </p>
            <p className="text-xs text-slate-700 tabular-nums">
              <span className={differs('size') ? 'font-semibold text-amber-900' : ''}>{member.size === null ? '—' : formatBytes(member.size)}</span> ·{' '}
              <span className={differs('mtimeMs') ? 'font-semibold text-amber-900' : ''}>{mtime(member.mtimeMs)}</span> ·{' '}
              <span className={`font-mono ${differs('fullHash') ? 'font-semibold text-amber-900' : ''}`}>{member.fullHash ? member.fullHash.slice(0, 12) : '—'}</span>
            </p>
          </li>
        ))}
      </ul>
      <div className="hidden overflow-x-auto md:block">
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
          {finding.members.map((member) => (
            <tr key={member.index} className={`border-b last:border-0 ${member.isKeeper ? 'bg-green-50' : ''}`} data-testid="member-row">
              {keep && <td className="px-3 py-2">{toggleOf(member)}</td>}
              <td className="px-3 py-2">{member.sourceId ?? '—'}</td>
              <td className="px-3 py-2 font-mono text-xs break-all">
                <span className="flex items-center gap-2">
                  {member.entryId !== null && <Thumbnail file={{ finding: finding.id, member: member.index }} name={member.path} size={40} />}
                  <span>
                    {display(member.path)}
                    {badges(member)}
                  </span>
                </span>
              </td>
              <td className={`${cell('size')} text-right whitespace-nowrap`}>{member.size === null ? '—' : formatBytes(member.size)}</td>
              <td className={`${cell('mtimeMs')} whitespace-nowrap`}>{mtime(member.mtimeMs)}</td>
              <td className={`${cell('fullHash')} font-mono text-xs`} title={member.fullHash ?? undefined}>{member.fullHash ? member.fullHash.slice(0, 12) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {finding.differences.length > 0 && (
        <p className="border-t px-3 py-2 text-xs text-amber-900">Differs between copies: {finding.differences.join(', ')}</p>
      )}
    </div>
  );
}
