'use client';
import { useAudit } from '@/lib/hooks/use-audit.ts';
import { useUrlFilter } from '../_components/use-url-filter.ts';
import { When } from '../_components/when.tsx';

const keys = ['actor', 'action'] as const;

function summary(details: Record<string, unknown>): string {
  const { findingIds, ...rest } = details;
  const parts = Object.entries(rest)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  if (Array.isArray(findingIds) && findingIds.length > 1) parts.push(`${findingIds.length} findings`);
  return parts.join(' · ');
}

/** Who did what and when, newest first. */
export function AuditView() {
  const [values, update] = useUrlFilter(keys);
  const query = useAudit({ actor: values.actor || undefined, action: values.action || undefined });
  const events = query.data?.pages.flatMap((page) => page.items) ?? [];
  const field = 'mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm';
  return (
    <div className="space-y-3">
      <form role="search" aria-label="Filter the audit trail" className="grid grid-cols-2 gap-3 sm:max-w-lg" onSubmit={(event) => event.preventDefault()}>
        <label className="text-sm">
          Who (e-mail)
          <input className={field} defaultValue={values.actor} onBlur={(event) => update({ actor: event.target.value.trim() })} />
        </label>
        <label className="text-sm">
          Action starts with
          <input className={field} placeholder="decision." defaultValue={values.action} onBlur={(event) => update({ action: event.target.value.trim() })} />
        </label>
      </form>
      {query.error && <p role="alert" className="text-red-800">{query.error.message}</p>}
      {query.isPending ? (
        <p>Loading…</p>
      ) : events.length === 0 ? (
        <p className="text-slate-700" data-testid="empty-list">No audit events yet.</p>
      ) : (
        <div className="overflow-x-auto rounded border border-slate-200 bg-white">
          <table className="w-full border-collapse text-sm" data-testid="audit-table">
            <thead>
              <tr className="border-b text-left text-slate-700">
                <th scope="col" className="px-3 py-2">When</th>
                <th scope="col" className="px-3 py-2">Who</th>
                <th scope="col" className="px-3 py-2">Action</th>
                <th scope="col" className="px-3 py-2">Target</th>
                <th scope="col" className="px-3 py-2">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id} className="border-b align-top last:border-0">
                  <td className="px-3 py-2 whitespace-nowrap"><When at={event.at} /></td>
                  <td className="px-3 py-2">{event.actor}</td>
                  <td className="px-3 py-2 font-medium">{event.action}</td>
                  <td className="px-3 py-2 font-mono text-xs break-all">{event.targetId ? `${event.targetType ?? ''} ${event.targetId}` : (event.targetType ?? '')}</td>
                  <td className="px-3 py-2 text-xs break-all text-slate-700">{summary(event.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <button type="button" className="rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? 'Loading…' : 'Load older events'}
        </button>
      )}
    </div>
  );
}
