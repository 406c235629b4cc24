'use client';
import type { Comparison, DocumentContent, ImageFacts, Refusal } from '@/lib/services/file-views.ts';
import { fileDiffUrl, fileViewUrl, type FileRef } from '@/lib/files/file-ref.ts';
import { formatBytes } from '@/engine/format.ts';
import { useState, type ReactNode } from 'react';
import { SideBySideDiff } from './side-by-side-diff.tsx';

/**
 * Content-aware diffs as people read them: a document's paragraphs side by side, the cells of a
 * workbook that changed ("Sheet1!B3 changed from … to …"), a PDF's pages with their first pages
 * pictured, two pictures at one scale with what differs overlaid, a zip's entries. All text is
 * rendered as text (React escapes it); nothing from a file is ever markup.
 */
export function ComparisonView({ comparison, left, right, leftLabel, rightLabel }: { comparison: Comparison; left: FileRef; right: FileRef; leftLabel: string; rightLabel: string }) {
  switch (comparison.format) {
    case 'paragraphs':
      return <SideBySideDiff diff={comparison.diff} leftLabel={leftLabel} rightLabel={rightLabel} unit="paragraphs" />;
    case 'cells':
      return <CellsDiff comparison={comparison} leftLabel={leftLabel} rightLabel={rightLabel} />;
    case 'pages':
      return <PagesDiff comparison={comparison} left={left} right={right} leftLabel={leftLabel} rightLabel={rightLabel} />;
    case 'image':
      return <ImageDiff comparison={comparison} left={left} right={right} leftLabel={leftLabel} rightLabel={rightLabel} />;
    case 'entries':
      return <EntriesDiff comparison={comparison} leftLabel={leftLabel} rightLabel={rightLabel} />;
  }
}

/** A table of changes, one row per difference, the two sides in columns under their labels. */
function ChangeTable({ first, leftLabel, rightLabel, children }: { first: string; leftLabel: string; rightLabel: string; children: ReactNode }) {
  return (
    <table className="w-full border-collapse text-sm">
      <thead>
        <tr className="border-b text-left text-slate-700">
          <th scope="col" className="px-2 py-1">{first}</th>
          <th scope="col" className="px-2 py-1">{leftLabel}</th>
          <th scope="col" className="px-2 py-1">{rightLabel}</th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

function CellsDiff({ comparison, leftLabel, rightLabel }: { comparison: Extract<Comparison, { format: 'cells' }>; leftLabel: string; rightLabel: string }) {
  const sentence = (change: (typeof comparison.changes)[number]) =>
    change.from === null ? `added: ${change.to}` : change.to === null ? `emptied (was ${change.from})` : `changed from ${change.from} to ${change.to}`;
  return (
    <div className="space-y-2 rounded border border-slate-200 bg-white p-3 text-sm" data-testid="cells-diff">
      <p className="text-slate-800">
        {comparison.changed === 0 ? 'No cell value differs.' : `${comparison.changed.toLocaleString('en')} cell${comparison.changed === 1 ? '' : 's'} differ`}
        {comparison.sheetsAdded.length > 0 && ` · sheets only in ${rightLabel}: ${comparison.sheetsAdded.join(', ')}`}
        {comparison.sheetsRemoved.length > 0 && ` · sheets only in ${leftLabel}: ${comparison.sheetsRemoved.join(', ')}`}
        {comparison.truncated && ' · the workbooks are larger than the part compared'}
      </p>
      {comparison.changes.length > 0 && (
        <ChangeTable first="Cell" leftLabel={leftLabel} rightLabel={rightLabel}>
          {comparison.changes.map((change) => (
            <tr key={`${change.sheet}!${change.cell}`} className="border-b align-top last:border-0" data-difference="" tabIndex={-1} title={`${change.sheet}!${change.cell} ${sentence(change)}`}>
              <th scope="row" className="px-2 py-1 text-left font-mono text-xs whitespace-nowrap">{change.sheet}!{change.cell}</th>
              <td className="bg-red-50 px-2 py-1 break-all text-red-950">{change.from ?? <span className="text-slate-600">empty</span>}</td>
              <td className="bg-green-50 px-2 py-1 break-all text-green-950">{change.to ?? <span className="text-slate-600">empty</span>}</td>
            </tr>
          ))}
        </ChangeTable>
      )}
      {comparison.changed > comparison.changes.length && <p className="text-xs text-slate-700">The first {comparison.changes.length.toLocaleString('en')} changed cells are listed.</p>}
    </div>
  );
}

function PagesDiff({ comparison, left, right, leftLabel, rightLabel }: { comparison: Extract<Comparison, { format: 'pages' }>; left: FileRef; right: FileRef; leftLabel: string; rightLabel: string }) {
  const changed = comparison.pages.filter((page) => page.status !== 'same');
  return (
    <div className="space-y-3" data-testid="pages-diff">
      <div className="grid grid-cols-2 gap-3">
        {[
          { ref: left, label: leftLabel, count: comparison.pageCounts[0] },
          { ref: right, label: rightLabel, count: comparison.pageCounts[1] },
        ].map(({ ref, label, count }) => (
          <figure key={label} className="rounded border border-slate-200 bg-white p-2 text-center">
            <img src={fileViewUrl('thumbnail', ref)} alt={`First page of ${label}`} className="mx-auto max-h-64 border border-slate-200" loading="lazy" />
            <figcaption className="mt-1 text-xs text-slate-700">{label} · {count} page{count === 1 ? '' : 's'}</figcaption>
          </figure>
        ))}
      </div>
      <p className="text-sm text-slate-800">
        {changed.length === 0 ? 'The text of every page is the same.' : `Text differs on ${changed.length === 1 ? 'page' : 'pages'} ${changed.map((page) => page.page).join(', ')}.`}
        {comparison.truncated && ' Only the first pages were read.'}
      </p>
      {changed.map((page) => (
        <section key={page.page} aria-label={`Page ${page.page}`} className="space-y-1">
          <h3 className="text-sm font-semibold">Page {page.page} {page.status === 'changed' ? 'changed' : page.status === 'added' ? `only in ${rightLabel}` : `only in ${leftLabel}`}</h3>
          {page.diff && <SideBySideDiff diff={page.diff} leftLabel={leftLabel} rightLabel={rightLabel} />}
        </section>
      ))}
    </div>
  );
}

function Facts({ facts }: { facts: ImageFacts }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-xs text-slate-800">
      <dt className="text-slate-600">Size</dt>
      <dd className="tabular-nums">{facts.width} × {facts.height}</dd>
      <dt className="text-slate-600">Taken</dt>
      <dd className="tabular-nums">{facts.takenAt ?? '—'}</dd>
      <dt className="text-slate-600">Camera</dt>
      <dd>{facts.camera ?? '—'}{facts.lens ? ` · ${facts.lens}` : ''}</dd>
    </dl>
  );
}

/** Both pictures at one scale (the larger drawn within the column, the other in proportion), and the overlay of differing pixels. */
function ImageDiff({ comparison, left, right, leftLabel, rightLabel }: { comparison: Extract<Comparison, { format: 'image' }>; left: FileRef; right: FileRef; leftLabel: string; rightLabel: string }) {
  const [overlay, setOverlay] = useState(false);
  const { pixels, facts } = comparison;
  const widest = Math.max(facts[0].width, facts[1].width);
  const percent = pixels.total === 0 ? 0 : (100 * pixels.differing) / pixels.total;
  return (
    <div className="space-y-2" data-testid="image-compare">
      <p className="text-sm text-slate-800" data-difference="" tabIndex={-1} data-testid="pixel-count">
        {pixels.differing.toLocaleString('en')} of {pixels.total.toLocaleString('en')} pixels differ ({percent < 0.1 && percent > 0 ? '<0.1' : percent.toFixed(1)}%)
        {pixels.scaled && ` · compared at ${pixels.width} × ${pixels.height}${pixels.sameDimensions ? '' : ', the pictures have different sizes'}`}
      </p>
      <label className="inline-flex items-center gap-2 text-sm">
        <input type="checkbox" className="h-4 w-4" checked={overlay} onChange={(event) => setOverlay(event.target.checked)} />
        Show the differing pixels over {leftLabel}
      </label>
      <div className="grid gap-3 md:grid-cols-2">
        {[
          { ref: left, label: leftLabel, fact: facts[0], overlayed: overlay },
          { ref: right, label: rightLabel, fact: facts[1], overlayed: false },
        ].map(({ ref, label, fact, overlayed }) => (
          <figure key={label} className="min-w-0 space-y-1 rounded border border-slate-200 bg-white p-2">
            <figcaption className="text-xs font-semibold">{label}</figcaption>
            <div className="mx-auto" style={{ width: `${(100 * fact.width) / widest}%` }}>
              <img
                src={overlayed ? fileDiffUrl(left, right, 'overlay') : fileViewUrl('image', ref)}
                alt={overlayed ? `Pixels that differ, over ${label}` : label}
                className="block h-auto w-full [image-rendering:pixelated]"
                data-testid={overlayed ? 'pixel-overlay' : undefined}
              />
            </div>
            <Facts facts={fact} />
          </figure>
        ))}
      </div>
    </div>
  );
}

function EntriesDiff({ comparison, leftLabel, rightLabel }: { comparison: Extract<Comparison, { format: 'entries' }>; leftLabel: string; rightLabel: string }) {
  const facts = (side: { size: number; crc32: string } | null) => (side ? `${formatBytes(side.size)} · CRC ${side.crc32}` : '—');
  return (
    <div className="space-y-2 rounded border border-slate-200 bg-white p-3 text-sm" data-testid="entries-diff">
      <p>{comparison.changes.length.toLocaleString('en')} entries differ, {comparison.same.toLocaleString('en')} are the same{comparison.truncated ? ' (of the entries listed)' : ''}.</p>
      {comparison.changes.length > 0 && (
        <ChangeTable first="Entry" leftLabel={leftLabel} rightLabel={rightLabel}>
          {comparison.changes.map((change) => (
            <tr key={change.name} className="border-b last:border-0" data-difference="" tabIndex={-1}>
              <th scope="row" className="px-2 py-1 text-left font-mono text-xs break-all">{change.name}</th>
              <td className={`px-2 py-1 text-xs tabular-nums ${change.from ? 'bg-red-50' : ''}`}>{facts(change.from)}</td>
              <td className={`px-2 py-1 text-xs tabular-nums ${change.to ? 'bg-green-50' : ''}`}>{facts(change.to)}</td>
            </tr>
          ))}
        </ChangeTable>
      )}
    </div>
  );
}

const refusalTitles: Record<Refusal['reason'], string> = {
  'too-large': 'Too large to read',
  unreadable: 'Could not read it',
  'timed-out': 'Timed out',
  busy: 'The server is busy',
  unsupported: 'No view for this',
};

export function RefusalNotice({ refusal, subject }: { refusal: Refusal; subject: string }) {
  return (
    <p className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="refused" data-reason={refusal.reason}>
      <span className="font-semibold">{refusalTitles[refusal.reason]}</span> ({subject}): {refusal.message}
    </p>
  );
}

/** One version's content (for versions that cannot be diffed): the start of its text, cells, pages or entries. */
export function ContentView({ content }: { content: DocumentContent }) {
  const box = 'max-h-80 overflow-auto rounded bg-slate-50 p-2 text-xs leading-5 whitespace-pre-wrap break-words';
  switch (content.format) {
    case 'paragraphs':
      return <pre className={box}>{content.paragraphs.slice(0, 200).join('\n\n')}</pre>;
    case 'pages':
      return <pre className={box}>{content.pages.slice(0, 5).map((page, index) => `— page ${index + 1} —\n${page}`).join('\n\n')}</pre>;
    case 'cells':
      return <pre className={box}>{content.sheets.map((sheet) => `${sheet.name}\n${sheet.cells.slice(0, 100).map(([cell, value]) => `  ${cell}: ${value}`).join('\n')}`).join('\n\n')}</pre>;
    case 'entries':
      return <pre className={box}>{content.entries.slice(0, 200).map((entry) => `${entry.name}  ${entry.size}  ${entry.crc32}`).join('\n')}</pre>;
    case 'image':
      return <Facts facts={content.facts} />;
  }
}
