/** Small labelled chips: review state and sources. Colours keep at least 4.5:1 contrast. */
const stateStyles: Record<string, string> = {
  approved: 'bg-green-100 text-green-900',
  rejected: 'bg-red-100 text-red-900',
  deferred: 'bg-amber-100 text-amber-900',
  applied: 'bg-blue-100 text-blue-900',
  undecided: 'bg-slate-100 text-slate-800',
};

export function stateOf(row: { verdict: string | null; appliedRunId: string | null }): string {
  if (row.appliedRunId) return 'applied';
  return row.verdict ?? 'undecided';
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${stateStyles[state] ?? stateStyles.undecided}`}>{state}</span>;
}

export function SourceChip({ id }: { id: string }) {
  return <span className="inline-block rounded border border-slate-300 px-1.5 py-0.5 text-xs text-slate-800">{id}</span>;
}
