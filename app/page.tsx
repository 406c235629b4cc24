import { listSources } from '@/lib/services/sources.ts';
import { formatBytes } from '@/lib/format.ts';

export const dynamic = 'force-dynamic';

export default async function DashboardPage() {
  const sources = await listSources();
  return (
    <section aria-labelledby="sources-heading">
      <h1 id="sources-heading" className="mb-4 text-2xl font-semibold">Sources</h1>
      {sources.length === 0 ? (
        <p className="text-slate-600">No sources in the catalog yet. Run <code>reconcile scan</code>.</p>
      ) : (
        <table className="w-full border-collapse bg-white text-sm shadow-sm" data-testid="sources-table">
          <thead>
            <tr className="border-b text-left text-slate-600">
              <th className="px-3 py-2">Source</th>
              <th className="px-3 py-2">Kind</th>
              <th className="px-3 py-2">Landing</th>
              <th className="px-3 py-2 text-right">Files</th>
              <th className="px-3 py-2 text-right">Bytes</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((source) => (
              <tr key={source.id} className="border-b last:border-0" data-testid={`source-${source.id}`}>
                <td className="px-3 py-2 font-medium">{source.id}</td>
                <td className="px-3 py-2">{source.kind} · {source.class}</td>
                <td className="px-3 py-2 font-mono text-xs">{source.landing}</td>
                <td className="px-3 py-2 text-right tabular-nums">{source.files.toLocaleString('en')}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatBytes(source.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
