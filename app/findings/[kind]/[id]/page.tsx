import Link from 'next/link';
import { can } from '../../../_components/can.ts';
import { kindLabel } from '../../../_components/kinds.ts';
import { FindingView } from './finding-view.tsx';

export const dynamic = 'force-dynamic';

export default async function FindingPage({ params }: { params: Promise<{ kind: string; id: string }> }) {
  const { kind, id } = await params;
  const back = kind === 'conflict' ? '/conflicts' : `/findings/${kind}`;
  return (
    <div className="space-y-4">
      <Link href={back} className="text-sm text-blue-800 underline">← {kindLabel(kind)}</Link>
      <FindingView id={decodeURIComponent(id)} canDecide={await can('reviewer')} />
    </div>
  );
}
