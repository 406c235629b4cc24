import Link from 'next/link';
import { dashboard, type Dashboard, type RunSummary, type SourceProgress } from '@/lib/services/dashboard.ts';
import { formatBytes } from '@/engine/format.ts';
import { findingKinds } from '@/lib/services/finding-filter.ts';
import { can } from './_components/can.ts';
import { LiveJobs } from './_components/live-jobs.tsx';
import { RecoveryPanel } from './_components/recovery-panel.tsx';
import { VerificationOutcome } from './_components/verification-outcome.tsx';
import { When } from './_components/when.tsx';
import { kindHref, kindLabel } from './_components/kinds.ts';

export const dynamic = 'force-dynamic';

function percent(value: number | null): string {
  return value === null ? 'no inventory' : `${(value * 100).toFixed(1)}%`;
}

function RunCard({ title, run, children }: { title: string; run: RunSummary | null; children?: React.ReactNode }) {
  return (
    <div className="rounded border border-slate-200 bg-white p-3">
      <h3 className="text-sm font-semibold text-slate-700">{title}</h3>
      {run ? (
        <>
          <p className="mt-1 text-sm">
            #{run.id} · <span className="font-medium">{run.status}</span> · <When at={run.at} />
          </p>
          <p className="text-xs text-slate-600">{run.detail}</p>
          {children}
        </>
      ) : (
        <p className="mt-1 text-sm text-slate-600">Not run yet.</p>
      )}
    </div>
  );
}

function Invariants({ value }: { value: Dashboard['invariants'] }) {
  if (!value) return <p className="mt-1 text-xs text-slate-600">Invariants: checked once there is a plan.</p>;
  return value.ok ? (
    <p className="mt-1 text-xs font-medium text-green-800" data-testid="invariants-ok">Invariants: all hold</p>
  ) : (
    <details className="mt-1 text-xs text-red-800" data-testid="invariants-violated">
      <summary className="cursor-pointer font-medium">Invariants: {value.violations.length} violated</summary>
      <ul className="mt-1 list-disc pl-4">
        {value.violations.map((violation, index) => (
          <li key={index}>{violation.invariant}: {violation.message}</li>
        ))}
      </ul>
    </details>
  );
}

function FindingChips({ source }: { source: SourceProgress }) {
  return (
    <ul className="flex flex-wrap gap-1">
      {Object.entries(source.findings).map(([kind, count]) => (
        <li key={kind}>
          <Link href={`${kindHref(kind)}?source=${source.id}`} className="inline-block rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-800 hover:bg-slate-200">
            {kindLabel(kind)} {count.toLocaleString('en')}
          </Link>
        </li>
      ))}
      {source.unreadable > 0 && <li className="rounded bg-red-50 px-2 py-0.5 text-xs text-red-800">{source.unreadable} unreadable entries</li>}
    </ul>
  );
}

/** Warnings from importing the source's manifest and logs (a log line naming nothing, a summary that does not add up). */
function ImportWarnings({ source }: { source: SourceProgress }) {
  const { count, shown } = source.importWarnings;
  if (count === 0) return null;
  return (
    <details className="mt-1 text-xs font-normal text-amber-800" data-testid={`import-warnings-${source.id}`}>
      <summary className="cursor-pointer font-medium">{count.toLocaleString('en')} import warning{count === 1 ? '' : 's'}</summary>
      <ul className="mt-1 list-disc pl-4">
        {shown.map((warning, index) => (
          <li key={index} className="break-words">
            <span className="font-mono">{warning.file}</span>: {warning.message}
          </li>
        ))}
      </ul>
      {count > shown.length && <p className="mt-1">and {(count - shown.length).toLocaleString('en')} more in the report</p>}
    </details>
  );
}

function Completeness({ source }: { source: SourceProgress }) {
  return (
    <>
      <span className={source.completeness !== null && source.completeness < 1 ? 'font-semibold text-amber-800' : ''}>{percent(source.completeness)}</span>
      {source.accounting && (
        <div className="text-xs text-slate-600">
          {source.accounting.missing.files} missing · {source.accounting.placeholder.files} placeholder · {source.accounting.partial.files} partial
          {source.accounting.weak.files > 0 && (
            <div
              className="text-amber-800"
              data-testid={`weak-matches-${source.id}`}
              title="The inventory has no hash for these files: they count as present because a space file has the same size (and modification time). Their content was not compared; import an inventory with hashes where that matters."
            >
              {source.accounting.weak.files.toLocaleString('en')} matched by size + mtime only (no hash in the inventory)
            </div>
          )}
        </div>
      )}
    </>
  );
}

/** Phones: one card per source instead of the wide table. */
function SourceCards({ sources }: { sources: SourceProgress[] }) {
  return (
    <ul className="space-y-3 md:hidden" aria-label="Sources">
      {sources.map((source) => (
        <li key={source.id} className="space-y-1 rounded border border-slate-200 bg-white p-3 text-sm" data-testid={`source-card-${source.id}`}>
          <div className="flex justify-between gap-2">
            <Link href={`/sources/${encodeURIComponent(source.id)}`} className="font-medium text-blue-800 underline">{source.id}</Link>
            <span className="text-right tabular-nums"><Completeness source={source} /></span>
          </div>
          <p className="font-mono text-xs break-all text-slate-700">{source.landing}</p>
          <p className="text-xs tabular-nums">
            Landed {source.files.toLocaleString('en')} files ({formatBytes(source.bytes)})
            {source.originFiles > 0 && ` of ${source.originFiles.toLocaleString('en')} (${formatBytes(source.originBytes)})`}
          </p>
          <FindingChips source={source} />
          <ImportWarnings source={source} />
        </li>
      ))}
    </ul>
  );
}

export default async function DashboardPage() {
  const [data, operator] = await Promise.all([dashboard(), can('operator')]);
  return (
    <div className="space-y-8">
      <section aria-labelledby="sources-heading">
        <h1 id="sources-heading" className="mb-4 text-2xl font-semibold">Sources</h1>
        {data.sources.length === 0 ? (
          <p className="text-slate-700">No sources in the catalog yet. Run <code>reconcile scan</code>.</p>
        ) : (
          <>
          <SourceCards sources={data.sources} />
          <div className="hidden overflow-x-auto rounded border border-slate-200 bg-white shadow-sm md:block">
            <table className="w-full border-collapse text-sm" data-testid="sources-table">
              <thead>
                <tr className="border-b text-left text-slate-700">
                  <th scope="col" className="px-3 py-2">Source</th>
                  <th scope="col" className="px-3 py-2">Landing</th>
                  <th scope="col" className="px-3 py-2 text-right">Landed</th>
                  <th scope="col" className="px-3 py-2 text-right">Origin inventory</th>
                  <th scope="col" className="px-3 py-2 text-right">Complete</th>
                  <th scope="col" className="px-3 py-2">Findings</th>
                </tr>
              </thead>
              <tbody>
                {data.sources.map((source) => (
                  <tr key={source.id} className="border-b align-top last:border-0" data-testid={`source-${source.id}`}>
                    <th scope="row" className="px-3 py-2 text-left font-medium">
                      <Link href={`/sources/${encodeURIComponent(source.id)}`} className="text-blue-800 underline">{source.id}</Link>
                      <div className="text-xs font-normal text-slate-600">{source.kind} · {source.class}{source.host ? ` · ${source.host}` : ''}</div>
                      <ImportWarnings source={source} />
                    </th>
                    <td className="px-3 py-2 font-mono text-xs break-all">{source.landing}</td>
                    <td className="px-3 py-2 text-right tabular-nums whitespace-nowrap">
                      {source.files.toLocaleString('en')} files
                      <div className="text-xs text-slate-600">{formatBytes(source.bytes)}</div>
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums whitespace-nowrap">
                      {source.originFiles ? `${source.originFiles.toLocaleString('en')} files` : '—'}
                      <div className="text-xs text-slate-600">{source.originFiles ? formatBytes(source.originBytes) : ''}</div>
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums whitespace-nowrap">
                      <Completeness source={source} />
                    </td>
                    <td className="px-3 py-2">
                      <FindingChips source={source} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          </>
        )}
      </section>

      <RecoveryPanel canFetch={operator} />

      <section aria-labelledby="findings-heading">
        <h2 id="findings-heading" className="mb-3 text-lg font-semibold">Findings</h2>
        <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5" data-testid="finding-counts">
          {findingKinds.map((kind) => (
            <li key={kind}>
              <Link href={kindHref(kind)} className="block rounded border border-slate-200 bg-white p-3 hover:border-blue-700 focus-visible:outline-2 focus-visible:outline-blue-700">
                <span className="block text-2xl font-semibold tabular-nums">{(data.findingsByKind[kind] ?? 0).toLocaleString('en')}</span>
                <span className="text-sm text-slate-700">{kindLabel(kind)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading" className="mb-3 text-lg font-semibold">Runs</h2>
        <div className="grid gap-3 md:grid-cols-3">
          <RunCard title="Last scan" run={data.lastScan} />
          <RunCard title="Last plan" run={data.lastPlan}>
            {data.lastPlan && (
              <>
                <p className="truncate font-mono text-xs text-slate-600" title={data.lastPlan.planHash}>plan {data.lastPlan.planHash.slice(0, 16)}</p>
                <Invariants value={data.invariants} />
              </>
            )}
          </RunCard>
          <RunCard title="Last apply" run={data.lastApply} />
        </div>
        <div className="mt-3">
          {data.verification ? (
            <VerificationOutcome verification={data.verification} />
          ) : (
            <p className="text-sm text-slate-600" data-testid="verification-none">Not verified yet: <code>reconcile verify</code> checks the whole space by reading its bytes.</p>
          )}
        </div>
      </section>

      <section aria-labelledby="jobs-heading">
        <h2 id="jobs-heading" className="mb-3 text-lg font-semibold">Running jobs</h2>
        <LiveJobs />
      </section>
    </div>
  );
}
