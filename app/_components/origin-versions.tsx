'use client';
import { originVersionsOf, type StoredKindEvidence } from '@/engine/classify/browser.ts';
import { formatBytes } from '@/engine/format.ts';

function utcTime(mtimeNs: string): string {
  return new Date(Number(BigInt(mtimeNs) / 1_000_000n)).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * The versions origin inventories know of, including one a later copy overwrote (so it is in the
 * space nowhere): source, origin path, size, mtime and hash each.
 */
export function OriginVersions({ finding }: { finding: StoredKindEvidence }) {
  const versions = finding.kind === 'conflict' ? originVersionsOf(finding.evidence) : [];
  if (versions.length === 0) return null;
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white" data-testid="origin-versions">
      <table className="w-full border-collapse text-sm">
        <caption className="px-3 py-2 text-left text-sm font-semibold">Versions known from the origin inventories</caption>
        <thead>
          <tr className="border-y text-left text-slate-700">
            <th scope="col" className="px-3 py-2">Source</th>
            <th scope="col" className="px-3 py-2">Origin path</th>
            <th scope="col" className="px-3 py-2 text-right">Size</th>
            <th scope="col" className="px-3 py-2">Modified (UTC)</th>
            <th scope="col" className="px-3 py-2">Hash</th>
            <th scope="col" className="px-3 py-2">In the space</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((version) => (
            <tr key={`${version.source}:${version.originPath}`} className="border-b last:border-0">
              <td className="px-3 py-2">{version.source}</td>
              <td className="px-3 py-2 font-mono text-xs break-all">{version.originPath}</td>
              <td className="px-3 py-2 text-right tabular-nums whitespace-nowrap">{formatBytes(version.size)}</td>
              <td className="px-3 py-2 whitespace-nowrap tabular-nums">{version.mtimeNs === null ? '—' : utcTime(version.mtimeNs)}</td>
              <td className="px-3 py-2 font-mono text-xs" title={version.hash ?? undefined}>{version.hash ? `${version.hashKind ?? ''} ${version.hash.slice(0, 12)}` : '—'}</td>
              <td className={`px-3 py-2 font-medium ${version.inSpace ? 'text-green-900' : 'text-red-800'}`}>{version.inSpace ? 'yes' : 'no — overwritten'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
