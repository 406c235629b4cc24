'use client';
import { useState } from 'react';
import { useDiff } from '@/lib/hooks/use-diff.ts';
import { usePreview } from '@/lib/hooks/use-preview.ts';
import type { FindingDetail } from '@/lib/services/findings.ts';
import type { Preview } from '@/lib/files/preview.ts';
import { fileViewUrl, type FileRef } from '@/lib/files/file-ref.ts';
import { SideBySideDiff } from './side-by-side-diff.tsx';

const letter = (index: number) => String.fromCharCode(65 + index);

/** The start of a text version, for versions too different to diff line by line. */
const textHeadChars = 4000;

function HexView({ preview }: { preview: Preview }) {
  if (preview.kind === 'text') {
    return (
      <pre className="max-h-80 overflow-auto rounded bg-slate-50 p-2 text-xs leading-5 whitespace-pre-wrap break-all" aria-label="Start of the text">
        {preview.text.slice(0, textHeadChars)}
        {preview.text.length > textHeadChars || preview.truncated ? '\n…' : ''}
      </pre>
    );
  }
  return (
    <pre className="overflow-x-auto rounded bg-slate-900 p-2 text-xs leading-5 text-slate-100" aria-label="First 512 bytes in hex">
      {preview.hex.map((row) => `${row.offset.toString(16).padStart(4, '0')}  ${row.hex.padEnd(47)}  ${row.ascii}`).join('\n')}
    </pre>
  );
}

/** Compares two versions: a line diff for text, pictures side by side, a hex summary otherwise. */
export function VersionsCompare({ finding }: { finding: FindingDetail }) {
  const present = finding.members.filter((member) => member.spacePath !== null);
  const [pair, setPair] = useState<[number, number]>([present[0]?.index ?? 0, present[1]?.index ?? 1]);
  const comparable = present.length >= 2;
  const [leftFile, rightFile] = pair.map((member) => ({ finding: finding.id, member })) as [FileRef, FileRef];
  const left = usePreview(leftFile, comparable);
  const right = usePreview(rightFile, comparable);
  const bothText = left.data?.kind === 'text' && right.data?.kind === 'text';
  const diff = useDiff(leftFile, rightFile, comparable && bothText);
  if (!comparable) return <p className="text-sm text-slate-700">Only one version is in the space; the other is known from an origin inventory (see the evidence).</p>;
  const failed = left.error ?? right.error ?? diff.error;
  const tooDifferent = diff.data?.status === 'too-different' ? diff.data.reason : null;
  return (
    <section aria-label="Compare versions" className="space-y-2">
      {present.length > 2 && (
        <div className="flex flex-wrap gap-3 text-sm">
          {([0, 1] as const).map((side) => (
            <label key={side}>
              {side === 0 ? 'Left' : 'Right'}{' '}
              <select className="rounded border border-slate-400 px-1" value={pair[side]} onChange={(event) => setPair((current) => (side === 0 ? [Number(event.target.value), current[1]] : [current[0], Number(event.target.value)]))}>
                {present.map((member) => (
                  <option key={member.index} value={member.index}>Version {letter(member.index)}</option>
                ))}
              </select>
            </label>
          ))}
        </div>
      )}
      {failed && <p role="alert" className="text-sm text-red-800">Cannot show the versions: {failed.message}</p>}
      {(left.isPending || right.isPending) && <p className="text-sm text-slate-700">Loading the versions…</p>}
      {bothText && diff.data?.status === 'diff' && <SideBySideDiff diff={diff.data.diff} leftLabel={`Version ${letter(pair[0])}`} rightLabel={`Version ${letter(pair[1])}`} />}
      {tooDifferent !== null && (
        <p className="text-sm text-slate-700" data-testid="too-different">
          Too different to diff line by line ({tooDifferent}); the start of each version is shown instead.
        </p>
      )}
      {left.data && right.data && (!bothText || tooDifferent !== null) && (
        <div className="grid gap-3 md:grid-cols-2" data-testid={left.data.kind === 'image' && right.data.kind === 'image' ? 'image-compare' : 'hex-compare'}>
          {[
            { index: pair[0], preview: left.data },
            { index: pair[1], preview: right.data },
          ].map(({ index, preview }) => (
            <figure key={index} className="min-w-0 rounded border border-slate-200 bg-white p-2">
              <figcaption className="mb-1 text-xs font-semibold">Version {letter(index)} · {preview.kind}{preview.mimeType ? ` · ${preview.mimeType}` : ''}</figcaption>
              {preview.kind === 'image' ? (
                <img src={fileViewUrl('image', { finding: finding.id, member: index })} alt={`Version ${letter(index)}`} className="mx-auto max-h-80 max-w-full object-contain" />
              ) : (
                <HexView preview={preview} />
              )}
            </figure>
          ))}
        </div>
      )}
    </section>
  );
}
