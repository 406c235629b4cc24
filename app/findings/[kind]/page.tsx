import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { openFindingsByKind } from '@/lib/services/dashboard.ts';
import { kindLabel } from '../../_components/kinds.ts';
import { KindTabs, otherKinds } from '../kind-tabs.tsx';
import { KindList } from './kind-list.tsx';
import { RecoveryPanel } from '../../_components/recovery-panel.tsx';

export const dynamic = 'force-dynamic';

const explanations: Record<string, string> = {
  placeholder: 'Zero-byte files and .icloud stubs whose real content is elsewhere: fetch them from their origin (reconcile recover), then place them.',
  partial: 'Interrupted transfers: temp files, truncated or zero-filled copies, size mismatches against the origin.',
  corrupt: 'Same size and time as the origin, different content.',
  artifact: 'Content-free OS and sync-tool litter (.DS_Store, Thumbs.db, desktop.ini, Icon\\r, Office ~$ owner files, :Zone.Identifier): proposed for the archive, never deleted. Copy and conflict-copy names are judged by their bytes (duplicates or conflicts), never as litter.',
  trash: 'Trash folders (.Trashes, .Trash, .Trash-*, $RECYCLE.BIN) that came along with a copy: files a person deleted, still user files. One proposal per folder moves it to the archive as a whole; restore what is still wanted first.',
  appledouble: 'AppleDouble ._ files whose data file is not in the space: they hold a resource fork and extended attributes, so they stay where they are (a ._ file beside its file moves with it).',
  'name-collision': 'Names equal after Unicode normalisation or case folding, or names Windows/SMB cannot hold.',
  unreadable: 'Entries or folders the scan could not read.',
  missing: 'Files in an origin inventory whose content is nowhere in the space.',
  staged: 'Clean files in an inbox staging folder whose mapped place in the layout is free: approving moves them there.',
};

export default async function KindPage({ params }: { params: Promise<{ kind: string }> }) {
  const { kind } = await params;
  if (!(otherKinds as readonly string[]).includes(kind)) notFound();
  // Only the tabs' counts: the whole dashboard (sources, invariants, verification) is the home page's.
  const findingsByKind = openFindingsByKind();
  return (
    <section aria-labelledby="kind-heading" className="space-y-4">
      <h1 id="kind-heading" className="text-2xl font-semibold">Other findings: {kindLabel(kind)}</h1>
      <KindTabs active={kind} counts={findingsByKind} />
      <p className="text-sm text-slate-700">{explanations[kind]}</p>
      {(kind === 'placeholder' || kind === 'missing' || kind === 'partial' || kind === 'corrupt') && <RecoveryPanel canFetch={false} compact />}
      <Suspense fallback={<p>Loading…</p>}>
        <KindList kind={kind as (typeof otherKinds)[number]} />
      </Suspense>
    </section>
  );
}
