import { Suspense } from 'react';
import { can } from '../_components/can.ts';
import { ApplyView } from './apply-view.tsx';

export const dynamic = 'force-dynamic';

export default async function ApplyPage() {
  const canApply = await can('operator');
  return (
    <section aria-labelledby="apply-heading" className="space-y-4">
      <h1 id="apply-heading" className="text-2xl font-semibold">Apply</h1>
      <p className="text-sm text-slate-700">
        Approved decisions become one journaled run. Every step re-checks its file first; displaced files go to the archive or conflicts folder, never deleted; a run can be rolled back.
      </p>
      <Suspense fallback={<p>Loading…</p>}>
        <ApplyView canApply={canApply} />
      </Suspense>
    </section>
  );
}
