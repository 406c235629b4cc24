import Link from 'next/link';
import { can } from '../../_components/can.ts';
import { ClusterView } from './cluster-view.tsx';

export const dynamic = 'force-dynamic';

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <div className="space-y-4">
      <Link href="/duplicates" className="text-sm text-blue-800 underline">← All duplicates</Link>
      <ClusterView id={decodeURIComponent(id)} canDecide={await can('reviewer')} />
    </div>
  );
}
