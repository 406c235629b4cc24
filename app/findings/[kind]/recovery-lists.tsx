'use client';
import { useRecovery } from '@/lib/hooks/use-recovery.ts';

/** Per source with something to fetch: how many files, the list (and script) to download, the command, and the names fetched apart. */
export function RecoveryLists() {
  const { data, error } = useRecovery();
  if (error) return <p role="alert" className="text-sm text-red-800">{error.message}</p>;
  const sources = data?.sources.filter((source) => source.files.length > 0) ?? [];
  if (sources.length === 0) return null;
  return (
    <section aria-labelledby="recovery-heading" className="rounded border border-slate-200 bg-white p-3">
      <h2 id="recovery-heading" className="mb-2 text-base font-semibold">To fetch from the origins</h2>
      <ul className="space-y-2 text-sm">
        {sources.map((source) => (
          <li key={source.source} data-testid={`recovery-${source.source}`}>
            <span className="font-medium">{source.source}</span> — {source.files.length.toLocaleString('en')} files from {source.origin ?? source.kind}{' '}
            <a className="text-blue-800 underline" href={`/api/recovery?source=${encodeURIComponent(source.source)}`} download>
              download list
            </a>
            {source.script && (
              <>
                {' · '}
                <a className="text-blue-800 underline" href={`/api/recovery?source=${encodeURIComponent(source.source)}&file=script`} download>
                  download script
                </a>
              </>
            )}
            {source.command && <code className="mt-1 block overflow-x-auto rounded bg-slate-100 px-2 py-1 text-xs">{source.command}</code>}
            {source.separate.length > 0 && (
              <div data-testid={`recovery-${source.source}-apart`}>
                <p className="mt-1 text-xs">Not in the list (a name with a newline, which the list cannot hold): one command each</p>
                {source.separate.map((each) => (
                  <code key={each.path} className="mt-1 block overflow-x-auto rounded bg-slate-100 px-2 py-1 text-xs">
                    {each.command}
                  </code>
                ))}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
