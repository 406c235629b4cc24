import { Suspense } from 'react';
import { can } from '../_components/can.ts';
import { ConflictQueue } from './conflict-queue.tsx';

export const dynamic = 'force-dynamic';

export default async function ConflictsPage() {
  const canDecide = await can('reviewer');
  return (
    <section aria-labelledby="conflicts-heading" className="space-y-4">
      <h1 id="conflicts-heading" className="text-2xl font-semibold">Conflicts</h1>
      <p className="text-sm text-slate-700">One logical file, different content. Compare the versions, then choose a winner, keep both (the other version goes to the conflicts folder), or defer.</p>
      <Suspense fallback={<p>Loading…</p>}>
        <ConflictQueue canDecide={canDecide} />
      </Suspense>
    </section>
  );
}
