'use client';
import type { SourceRecovery } from '@/lib/services/recovery.ts';
import { CopyCommand } from './copy-command.tsx';

const downloadHref = (source: string, file: 'list' | 'script') => `/api/recovery?source=${encodeURIComponent(source)}${file === 'script' ? '&file=script' : ''}`;

/** A source's list and script to download (the bytes `reconcile recover` writes), its command to copy, and the names fetched apart. */
export function RecoveryDownloads({ recovery }: { recovery: SourceRecovery }) {
  if (recovery.files.length === 0) return null;
  return (
    <div className="space-y-1">
      <p className="text-xs">
        <a className="text-blue-800 underline" href={downloadHref(recovery.source, 'list')} download data-testid={`download-list-${recovery.source}`}>
          download list
        </a>
        {recovery.script && (
          <>
            {' · '}
            <a className="text-blue-800 underline" href={downloadHref(recovery.source, 'script')} download data-testid={`download-script-${recovery.source}`}>
              download script
            </a>
          </>
        )}
      </p>
      {recovery.command ? (
        <CopyCommand command={recovery.command} testId={`recovery-command-${recovery.source}`} />
      ) : (
        recovery.script && <p className="text-xs text-slate-700">Run the script on {recovery.host ?? 'the origin host'}; this server cannot reach it.</p>
      )}
      {recovery.push && (
        <details className="text-xs">
          <summary className="cursor-pointer">Or push from {recovery.host ?? 'the origin host'}</summary>
          <CopyCommand command={recovery.push} testId={`recovery-push-${recovery.source}`} />
        </details>
      )}
      {recovery.separate.length > 0 && (
        <div data-testid={`recovery-${recovery.source}-apart`}>
          <p className="mt-1 text-xs">Not in the list (a name with a newline, which the list cannot hold): one command each</p>
          {recovery.separate.map((each) => (
            <CopyCommand key={each.path} command={each.command} testId={`recovery-apart-${recovery.source}`} />
          ))}
        </div>
      )}
    </div>
  );
}
