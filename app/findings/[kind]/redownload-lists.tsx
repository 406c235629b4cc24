'use client';
import { useRedownloadLists } from '@/lib/hooks/use-redownload-lists.ts';

/** Per cloud remote: how many files to fetch again, the list to download and the rclone command. */
export function RedownloadLists() {
  const { data, error } = useRedownloadLists();
  if (error) return <p role="alert" className="text-sm text-red-800">{error.message}</p>;
  if (!data || data.lists.length === 0) return null;
  return (
    <section aria-labelledby="redownload-heading" className="rounded border border-slate-200 bg-white p-3">
      <h2 id="redownload-heading" className="mb-2 text-base font-semibold">Re-download lists</h2>
      <ul className="space-y-2 text-sm">
        {data.lists.map((list) => (
          <li key={list.source} data-testid={`redownload-${list.source}`}>
            <span className="font-medium">{list.remote ?? list.source}</span> — {list.files.length.toLocaleString('en')} files from source {list.source}{' '}
            <a className="text-blue-800 underline" href={`/api/redownload?source=${encodeURIComponent(list.source)}`} download>
              download list
            </a>
            {list.remote && list.landing && (
              <code className="mt-1 block overflow-x-auto rounded bg-slate-100 px-2 py-1 text-xs">
                rclone copy {list.remote} {list.landing} --files-from redownload-{list.source}.txt
              </code>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
