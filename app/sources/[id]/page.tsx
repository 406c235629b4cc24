import Link from 'next/link';
import { serverConfig } from '@/lib/config.ts';
import { formatBytes } from '@/engine/format.ts';
import { manifestFileName, originFileOffers, originPlatform } from '@/lib/services/origin-files.ts';
import { latestInventory } from '@/lib/services/origin-manifests.ts';
import { can } from '../../_components/can.ts';
import { When } from '../../_components/when.tsx';
import { CopyCommand } from '../../_components/copy-command.tsx';
import { ManifestUpload } from './manifest-upload.tsx';
import { RecoverySection } from './recovery-section.tsx';

export const dynamic = 'force-dynamic';

/** One source: its origin inventory, the origin tools to make one on its host, and an upload of the result. */
export default async function SourcePage({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await params).id);
  const source = serverConfig().sources.find((candidate) => candidate.id === id);
  if (!source) {
    return (
      <div className="space-y-4">
        <Link href="/" className="text-sm text-blue-800 underline">← Dashboard</Link>
        <p role="alert">No source {id} in the config.</p>
      </div>
    );
  }
  const inventory = latestInventory(id);
  const platform = originPlatform(source);
  const offers = platform ? originFileOffers(source) : [];
  const operator = await can('operator');
  const host = source.host ?? 'the origin host';
  return (
    <div className="space-y-6">
      <Link href="/" className="text-sm text-blue-800 underline">← Dashboard</Link>
      <header>
        <h1 className="text-2xl font-semibold">{source.id}</h1>
        <p className="text-sm text-slate-700">
          {source.kind} · {source.class}
          {source.host ? ` · ${source.host}` : ''} · lands in <code>{source.landing}</code>
          {source.origin && <> · from <code>{source.origin}</code></>}
        </p>
      </header>

      <section aria-labelledby="inventory-heading" className="rounded border border-slate-200 bg-white p-3">
        <h2 id="inventory-heading" className="text-base font-semibold">Origin inventory</h2>
        {inventory ? (
          <p className="text-sm" data-testid="inventory-latest">
            {inventory.entries.toLocaleString('en')} entries ({inventory.format}; hashes: {inventory.hashKinds.join(', ') || 'none'}) from{' '}
            {inventory.host ?? 'unknown host'}, imported <When at={inventory.importedAt} />
            <span className="block font-mono text-xs break-all text-slate-600">{inventory.file}</span>
          </p>
        ) : (
          <p className="text-sm" data-testid="inventory-latest">None yet: without it, completeness cannot be checked for this source.</p>
        )}
      </section>

      <section id="recovery" aria-labelledby="recovery-heading" className="space-y-2 rounded border border-slate-200 bg-white p-3">
        <h2 id="recovery-heading" className="text-base font-semibold">Recovery from the origin</h2>
        <RecoverySection sourceId={source.id} canWaive={operator} />
      </section>

      {platform ? (
        <section aria-labelledby="tools-heading" className="space-y-3 rounded border border-slate-200 bg-white p-3">
          <h2 id="tools-heading" className="text-base font-semibold">Make the manifest on {host}</h2>
          <ol className="list-decimal space-y-1 pl-5 text-sm">
            <li>Download the file below over Tailscale and check its SHA-256.</li>
            <li>In a terminal in the download folder, run its command (it only reads the folder).</li>
            <li>
              Upload <code>{manifestFileName(source)}</code> here, or copy it to the server and run{' '}
              <code>reconcile import {manifestFileName(source)} --source {source.id}</code>.
            </li>
          </ol>
          <ul className="space-y-4">
            {offers.map((offer) => (
              <li key={offer.name} className="space-y-1 border-t pt-3" data-testid={`origin-file-${offer.name}`}>
                <div className="flex flex-wrap items-baseline gap-2">
                  <span className="font-medium">{offer.title}</span>
                  {offer.recommended && <span className="rounded bg-green-50 px-2 py-0.5 text-xs text-green-800">for {host}</span>}
                </div>
                <p className="text-sm text-slate-700">{offer.description}</p>
                {operator ? (
                  <a className="text-sm text-blue-800 underline" href={`/api/origin-files/${offer.name}?source=${encodeURIComponent(source.id)}`} download={offer.name}>
                    Download {offer.name}
                  </a>
                ) : (
                  <span className="text-sm text-slate-600">{offer.name} (operators download it)</span>
                )}{' '}
                <span className="text-xs text-slate-600">{formatBytes(offer.bytes)}</span>
                <p className="text-xs">
                  SHA-256 <code className="break-all" data-testid={`sha256-${offer.name}`}>{offer.sha256}</code> — check with <code>{offer.verify}</code>
                </p>
                <CopyCommand command={offer.command} testId={`command-${offer.name}`} />
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <section className="rounded border border-slate-200 bg-white p-3 text-sm">
          A cloud remote: its inventory is its own listing, made on the server with{' '}
          <code>rclone lsjson -R --hash {source.remote ?? source.origin ?? 'REMOTE:'}</code>; upload that file here or point the source&apos;s{' '}
          <code>manifest:</code> at it.
        </section>
      )}

      <section aria-labelledby="upload-heading" className="rounded border border-slate-200 bg-white p-3">
        <h2 id="upload-heading" className="mb-2 text-base font-semibold">Upload a manifest</h2>
        {operator ? <ManifestUpload sourceId={source.id} /> : <p className="text-sm text-slate-600">Operators can upload a manifest for this source.</p>}
      </section>
    </div>
  );
}
