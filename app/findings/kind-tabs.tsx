import Link from 'next/link';
import { kindLabel } from '../_components/kinds.ts';

export const otherKinds = ['placeholder', 'partial', 'corrupt', 'artifact', 'trash', 'appledouble', 'name-collision', 'unreadable', 'missing', 'staged'] as const;

/** Tabs for the finding kinds that are reviewed as lists. */
export function KindTabs({ active, counts }: { active: string; counts: Record<string, number> }) {
  return (
    <nav aria-label="Finding kinds" className="flex gap-1 overflow-x-auto border-b border-slate-200">
      {otherKinds.map((kind) => (
        <Link
          key={kind}
          href={`/findings/${kind}`}
          aria-current={kind === active ? 'page' : undefined}
          className={`-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-blue-700 ${
            kind === active ? 'border-blue-700 text-blue-800' : 'border-transparent text-slate-700 hover:text-slate-950'
          }`}
        >
          {kindLabel(kind)} <span className="tabular-nums text-slate-600">{(counts[kind] ?? 0).toLocaleString('en')}</span>
        </Link>
      ))}
    </nav>
  );
}
