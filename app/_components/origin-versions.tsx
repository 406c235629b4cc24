'use client';
import Link from 'next/link';
import { originVersionsOf, type OriginVersionInSpace, type StoredKindEvidence } from '@/engine/classify/browser.ts';
import { formatBytes } from '@/engine/format.ts';
import type { Member } from '@/lib/services/findings.ts';
import { versionLetter } from './versions-compare.tsx';

function utcTime(mtimeNs: string): string {
  return new Date(Number(BigInt(mtimeNs) / 1_000_000n)).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * The versions origin inventories know of, including one a later copy overwrote (so it is in the
 * space nowhere): source, origin path, size, mtime and hash each, and which version on the card
 * holds it. A version the space lost links to the re-download lists.
 */
export function OriginVersions({ finding, members }: { finding: StoredKindEvidence; members: Member[] }) {
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
              <td className={`px-3 py-2 font-medium ${version.inSpace ? 'text-green-900' : 'text-red-800'}`}>
                {version.inSpace ? (
                  `yes${atVersions(version, members)}`
                ) : (
                  <>
                    no — overwritten ·{' '}
                    <Link className="font-normal text-blue-800 underline" href="/findings/missing#redownload-heading">
                      fetch it again
                    </Link>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** " — Version B" (or "Versions A, C"): the members of the card that hold this version. */
function atVersions(version: OriginVersionInSpace, members: Member[]): string {
  const letters = members.filter((member) => version.spacePaths?.includes(member.path)).map((member) => versionLetter(member.index));
  if (letters.length === 0) return '';
  return ` — Version${letters.length > 1 ? 's' : ''} ${letters.join(', ')}`;
}
