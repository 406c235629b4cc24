import { Suspense } from 'react';
import { AuditView } from './audit-view.tsx';

export const dynamic = 'force-dynamic';

const formats = [
  { format: 'md', label: 'Markdown' },
  { format: 'html', label: 'HTML' },
  { format: 'json', label: 'JSON' },
  { format: 'csv', label: 'CSV' },
  { format: 'comms-log', label: 'Communication-log entry' },
];

export default function AuditPage() {
  return (
    <section aria-labelledby="audit-heading" className="space-y-4">
      <h1 id="audit-heading" className="text-2xl font-semibold">Audit</h1>
      <div className="rounded border border-slate-200 bg-white p-4">
        <h2 className="mb-2 text-lg font-semibold">Export the report</h2>
        <p className="mb-2 text-sm text-slate-700">Per-source completeness, duplicates resolved, conflicts with who decided them, outstanding re-downloads, invariants and the verification of the latest run.</p>
        <ul className="flex flex-wrap gap-2" data-testid="report-links">
          {formats.map(({ format, label }) => (
            <li key={format}>
              <a href={`/api/report?format=${format}`} download className="inline-block rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700">
                {label}
              </a>
            </li>
          ))}
        </ul>
      </div>
      <Suspense fallback={<p>Loading…</p>}>
        <AuditView />
      </Suspense>
    </section>
  );
}
