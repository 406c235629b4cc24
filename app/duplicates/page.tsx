import { Suspense } from 'react';
import { DuplicatesView } from './duplicates-view.tsx';

export const dynamic = 'force-dynamic';

export default function DuplicatesPage() {
  return (
    <section aria-labelledby="duplicates-heading" className="space-y-4">
      <h1 id="duplicates-heading" className="text-2xl font-semibold">Duplicates</h1>
      <p className="text-sm text-slate-700">Clusters of identical content, largest reclaimable bytes first. Open one to choose what to keep.</p>
      <Suspense fallback={<p>Loading…</p>}>
        <DuplicatesView />
      </Suspense>
    </section>
  );
}
