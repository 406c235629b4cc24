'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { formatBytes } from '@/engine/format.ts';
import type { UploadResult } from '@/lib/services/origin-manifests.ts';

type State = { kind: 'idle' } | { kind: 'sending'; sent: number; total: number } | { kind: 'done'; result: UploadResult } | { kind: 'failed'; message: string };

/**
 * Sends the chosen file as the request body (XMLHttpRequest, for upload progress): the server
 * streams it to disk, imports it for this source and answers with what it imported.
 */
export function ManifestUpload({ sourceId }: { sourceId: string }) {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const send = () => {
    if (!file) return;
    const request = new XMLHttpRequest();
    request.open('POST', `/api/uploads/manifests/${encodeURIComponent(sourceId)}`);
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.upload.onprogress = (event) => setState({ kind: 'sending', sent: event.loaded, total: event.total });
    request.onload = () => {
      const body = JSON.parse(request.responseText || '{}') as UploadResult & { error?: { message: string } };
      if (request.status >= 200 && request.status < 300) {
        setState({ kind: 'done', result: body });
        router.refresh();
      } else setState({ kind: 'failed', message: body.error?.message ?? `upload failed (${request.status})` });
    };
    request.onerror = () => setState({ kind: 'failed', message: 'the upload did not reach the server' });
    setState({ kind: 'sending', sent: 0, total: file.size });
    request.send(file);
  };
  return (
    <div className="space-y-2 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <label className="flex items-center gap-2">
          <span>Manifest file</span>
          <input type="file" accept=".gz,.jsonl,.json" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
        </label>
        <button
          type="button"
          disabled={!file || state.kind === 'sending'}
          onClick={send}
          className="rounded bg-blue-700 px-3 py-1 text-white disabled:opacity-50"
        >
          Upload and import
        </button>
      </div>
      {state.kind === 'sending' && (
        <p role="status">
          Sending {formatBytes(state.sent)} of {formatBytes(state.total)}…
        </p>
      )}
      {state.kind === 'done' && (
        <p role="status" className="text-green-800" data-testid="upload-result">
          {state.result.alreadyImported ? 'Already imported earlier: nothing changed' : `Imported ${state.result.entries.toLocaleString('en')} entries`} (
          {state.result.format}; hashes: {state.result.hashKinds.join(', ') || 'none'}). Received {formatBytes(state.result.bytes)}, SHA-256{' '}
          <code className="break-all">{state.result.sha256}</code>. Run a new plan to see what it changes.
        </p>
      )}
      {state.kind === 'failed' && (
        <p role="alert" className="text-red-800">
          {state.message}
        </p>
      )}
    </div>
  );
}
