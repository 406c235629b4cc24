'use client';
import { findingKinds, reviewStates, type FindingFilterInput } from '@/lib/services/finding-filter.ts';
import { useUrlFilter } from '../_components/use-url-filter.ts';
import { kindLabel } from '../_components/kinds.ts';
import { BulkDecide } from './bulk-decide.tsx';
import { DecisionsList } from './decisions-list.tsx';

const keys = ['kind', 'state', 'action', 'source', 'keeperUnder', 'othersUnder'] as const;
const actions = ['archive-duplicate', 'move-to-canonical', 'route-to-conflicts', 'quarantine-artifact', 'archive-trash', 'needs-redownload', 'keep', 'no-action'];

export function DecisionsView({ canDecide }: { canDecide: boolean }) {
  const [values, update] = useUrlFilter(keys);
  const filter: FindingFilterInput = {
    kind: (values.kind || undefined) as FindingFilterInput['kind'],
    state: ((values.state || 'undecided') === 'any' ? undefined : values.state || 'undecided') as FindingFilterInput['state'],
    action: values.action || undefined,
    source: values.source || undefined,
    keeperUnder: values.keeperUnder || undefined,
    othersUnder: values.othersUnder || undefined,
  };
  const field = 'mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm';
  const text = (key: 'keeperUnder' | 'othersUnder' | 'source', label: string, placeholder: string) => (
    <label className="text-sm text-slate-800">
      {label}
      <input
        className={field}
        placeholder={placeholder}
        defaultValue={values[key]}
        onBlur={(event) => update({ [key]: event.target.value.trim() })}
        onKeyDown={(event) => {
          if (event.key === 'Enter') update({ [key]: event.currentTarget.value.trim() });
        }}
      />
    </label>
  );
  return (
    <div className="space-y-4">
      <form role="search" aria-label="Filter proposals" className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-6" onSubmit={(event) => event.preventDefault()}>
        <label className="text-sm text-slate-800">
          Kind
          <select className={field} value={values.kind} onChange={(event) => update({ kind: event.target.value })}>
            <option value="">All kinds</option>
            {findingKinds.map((kind) => (
              <option key={kind} value={kind}>{kindLabel(kind)}</option>
            ))}
          </select>
        </label>
        <label className="text-sm text-slate-800">
          State
          <select className={field} value={values.state || 'undecided'} onChange={(event) => update({ state: event.target.value === 'undecided' ? '' : event.target.value })}>
            <option value="any">Any state</option>
            {reviewStates.map((state) => (
              <option key={state} value={state}>{state}</option>
            ))}
          </select>
        </label>
        <label className="text-sm text-slate-800">
          Proposed action
          <select className={field} value={values.action} onChange={(event) => update({ action: event.target.value })}>
            <option value="">Any action</option>
            {actions.map((action) => (
              <option key={action} value={action}>{action}</option>
            ))}
          </select>
        </label>
        {text('source', 'Source', 'e.g. wintermute')}
        {text('keeperUnder', 'Keeper under', 'e.g. mike/')}
        {text('othersUnder', 'Other copies under', 'e.g. inbox/')}
      </form>
      <BulkDecide filter={filter} canDecide={canDecide} />
      <DecisionsList filter={filter} canDecide={canDecide} />
    </div>
  );
}
