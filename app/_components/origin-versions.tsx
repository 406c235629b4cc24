'use client';
import { formatBytes } from '@/engine/format.ts';

interface OriginVersion {
  source: string;
  originPath: string;
  size: number;
  mtimeNs: string;
  hash: string | null;
  hashKind?: string;
  landed: boolean;
  inSpace: boolean;
}

function isVersionList(value: unknown): value is OriginVersion[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && 'originPath' in item);
}

/**
 * The versions origin inventories know of, including one a later copy overwrote (so it is in the
 * space nowhere): source, origin path, size, mtime and hash each.
 */
export function OriginVersions({ evidence }: { evidence: Record<string, unknown> }) {
  const versions = evidence.versions;
  if (!isVersionList(versions)) return null;
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
              <td className="px-3 py-2 whitespace-nowrap tabular-nums">{new Date(Number(BigInt(version.mtimeNs) / 1_000_000n)).toISOString().replace('T', ' ').slice(0, 19)}</td>
              <td className="px-3 py-2 font-mono text-xs" title={version.hash ?? undefined}>{version.hash ? `${version.hashKind ?? ''} ${version.hash.slice(0, 12)}` : '—'}</td>
              <td className={`px-3 py-2 font-medium ${version.inSpace ? 'text-green-900' : 'text-red-800'}`}>{version.inSpace ? 'yes' : 'no — overwritten'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
