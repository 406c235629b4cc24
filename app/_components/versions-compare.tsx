'use client';
import { forwardRef, useState } from 'react';
import { originVersionsOf } from '@/engine/classify/browser.ts';
import { useDiff } from '@/lib/hooks/use-diff.ts';
import { usePreview } from '@/lib/hooks/use-preview.ts';
import type { FindingDetail, Member } from '@/lib/services/findings.ts';
import type { FilePreview } from '@/lib/services/file-views.ts';
import { fileViewUrl, type FileRef } from '@/lib/files/file-ref.ts';
import { SideBySideDiff } from './side-by-side-diff.tsx';
import { ComparisonView, ContentView, RefusalNotice } from './document-diff.tsx';
import { useDisplayPath } from './space.tsx';

export const versionLetter = (index: number) => String.fromCharCode(65 + index);

/** Members that are files in the space now (a member may be a path the space no longer holds). */
export const inSpace = (member: Member) => member.entryId !== null;

/** The start of a text version, for versions too different to diff line by line. */
const textHeadChars = 4000;

function PreviewView({ preview, file, label }: { preview: FilePreview; file: FileRef; label: string }) {
  if (preview.kind === 'document') {
    return preview.view.status === 'view' ? <ContentView content={preview.view.content} /> : <RefusalNotice refusal={preview.view} subject={label} />;
  }
  if (preview.kind === 'image') return <img src={fileViewUrl('image', file)} alt={label} className="mx-auto max-h-80 max-w-full object-contain" />;
  if (preview.kind === 'text') {
    return (
      <pre className="max-h-80 overflow-auto rounded bg-slate-50 p-2 text-xs leading-5 break-all whitespace-pre-wrap" aria-label="Start of the text">
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

/** Each version's own view, side by side: for pairs that have no diff (different kinds, binaries, too different). */
function SideBySidePreviews({ files, labels }: { files: [FileRef, FileRef]; labels: [string, string] }) {
  const left = usePreview(files[0]);
  const right = usePreview(files[1]);
  const failed = left.error ?? right.error;
  if (failed) return <p role="alert" className="text-sm text-red-800">Cannot show the versions: {failed.message}</p>;
  if (!left.data || !right.data) return <p className="text-sm text-slate-700">Loading the versions…</p>;
  return (
    <div className="grid gap-3 md:grid-cols-2" data-testid="preview-compare">
      {[
        { file: files[0], label: labels[0], preview: left.data },
        { file: files[1], label: labels[1], preview: right.data },
      ].map(({ file, label, preview }) => (
        <figure key={label} className="min-w-0 rounded border border-slate-200 bg-white p-2">
          <figcaption className="mb-1 text-xs font-semibold">
            {label} · {preview.kind === 'document' ? preview.contentType : preview.kind}
            {preview.mimeType ? ` · ${preview.mimeType}` : ''}
          </figcaption>
          <PreviewView preview={preview} file={file} label={label} />
        </figure>
      ))}
    </div>
  );
}

function PairDiff({ finding, pair }: { finding: FindingDetail; pair: [number, number] }) {
  const files = pair.map((member) => ({ finding: finding.id, member })) as [FileRef, FileRef];
  const labels = pair.map((member) => `Version ${versionLetter(member)}`) as [string, string];
  const diff = useDiff(files[0], files[1]);
  if (diff.error) return <p role="alert" className="text-sm text-red-800">Cannot compare the versions: {diff.error.message}</p>;
  if (!diff.data) return <p className="text-sm text-slate-700">Comparing the versions…</p>;
  const answer = diff.data;
  switch (answer.status) {
    case 'diff':
      return <SideBySideDiff diff={answer.diff} leftLabel={labels[0]} rightLabel={labels[1]} />;
    case 'compared':
      return <ComparisonView comparison={answer.comparison} left={files[0]} right={files[1]} leftLabel={labels[0]} rightLabel={labels[1]} />;
    case 'too-different':
      return (
        <>
          <p className="text-sm text-slate-700" data-testid="too-different">Too different to diff ({answer.reason}); each version is shown instead.</p>
          <SideBySidePreviews files={files} labels={labels} />
        </>
      );
    case 'refused':
      return (
        <>
          <RefusalNotice refusal={answer} subject={`${labels[0]} and ${labels[1]}`} />
          {answer.reason === 'unsupported' && <SideBySidePreviews files={files} labels={labels} />}
        </>
      );
    case 'not-text':
      return <SideBySidePreviews files={files} labels={labels} />;
  }
}

/**
 * Compares any two versions that are in the space: the diff the content calls for (lines,
 * paragraphs, cells, pages, pixels, zip entries), or each version's own view. The element it
 * renders holds the differences the next/previous difference keys move between.
 */
export const VersionsCompare = forwardRef<HTMLElement, { finding: FindingDetail }>(function VersionsCompare({ finding }, ref) {
  const display = useDisplayPath();
  const present = finding.members.filter(inSpace);
  const [pair, setPair] = useState<[number, number]>([present[0]?.index ?? 0, present[1]?.index ?? 1]);
  if (present.length < 2) {
    const known = finding.kind === 'conflict' ? originVersionsOf(finding.evidence).length : 0;
    return (
      <p className="text-sm text-slate-700" data-testid="one-version">
        {present.length === 1 ? 'Only one version is in the space' : 'No version is in the space'}
        {known > present.length ? '; the others are known only from the origin inventories (see the table above).' : '; there is nothing to compare it with.'}
      </p>
    );
  }
  const choose = (side: 0 | 1, member: number) => setPair((current) => (side === 0 ? [member, current[1]] : [current[0], member]));
  return (
    <section aria-label="Compare versions" className="space-y-2" ref={ref}>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <h3 className="font-semibold">Compare</h3>
        {([0, 1] as const).map((side) => (
          <label key={side}>
            {side === 0 ? 'Left' : 'Right'}{' '}
            <select
              className="max-w-[22rem] rounded border border-slate-400 px-1"
              value={pair[side]}
              onChange={(event) => choose(side, Number(event.target.value))}
              data-testid={`compare-${side === 0 ? 'left' : 'right'}`}
            >
              {present.map((member) => (
                <option key={member.index} value={member.index} disabled={member.index === pair[side === 0 ? 1 : 0]}>
                  Version {versionLetter(member.index)} · {display(member.path)}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <PairDiff key={`${pair[0]}-${pair[1]}`} finding={finding} pair={pair} />
    </section>
  );
});
