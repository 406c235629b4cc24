import { Suspense } from 'react';
import { can } from '../_components/can.ts';
import { DecisionsView } from './decisions-view.tsx';

export const dynamic = 'force-dynamic';

export default async function DecisionsPage() {
  const canDecide = await can('reviewer');
  return (
    <section aria-labelledby="decisions-heading" className="space-y-4">
      <h1 id="decisions-heading" className="text-2xl font-semibold">Decisions</h1>
      <p className="text-sm text-slate-700">Approve or reject proposals one at a time or in bulk by rule. Nothing moves until an operator applies the approved ones; until then every decision can be undone.</p>
      <Suspense fallback={<p>Loading…</p>}>
        <DecisionsView canDecide={canDecide} />
      </Suspense>
    </section>
  );
}
