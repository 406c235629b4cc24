'use client';
import { diffWordsWithSpace } from 'diff';
import type { ReactNode } from 'react';
import type { LineDiff } from '@/lib/files/line-diff.ts';

interface Row {
  left: string | null;
  right: string | null;
  kind: 'same' | 'change' | 'skip';
  /** For a folded run: how many unchanged lines it stands for. */
  skipped?: number;
  /** The first row of a change: where "next difference" stops. */
  first?: boolean;
}

/** Unchanged lines kept around each change; longer unchanged runs fold into one row. */
const context = 3;

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Pairs removed lines with the added lines that replace them, so both versions read across. */
export function diffRows(diff: Pick<LineDiff, 'parts'>): Row[] {
  const rows: Row[] = [];
  for (let index = 0; index < diff.parts.length; index += 1) {
    const part = diff.parts[index]!;
    if (part.op === 'same') {
      const lines = splitLines(part.text);
      const keepHead = index === 0 ? 0 : context;
      const keepTail = index === diff.parts.length - 1 ? 0 : context;
      if (lines.length > keepHead + keepTail + 1) {
        for (const line of lines.slice(0, keepHead)) rows.push({ left: line, right: line, kind: 'same' });
        rows.push({ left: null, right: null, kind: 'skip', skipped: lines.length - keepHead - keepTail });
        for (const line of lines.slice(lines.length - keepTail)) rows.push({ left: line, right: line, kind: 'same' });
      } else {
        for (const line of lines) rows.push({ left: line, right: line, kind: 'same' });
      }
      continue;
    }
    const next = diff.parts[index + 1];
    const removed = part.op === 'remove' ? splitLines(part.text) : [];
    const added = part.op === 'add' ? splitLines(part.text) : next?.op === 'add' ? splitLines(next.text) : [];
    if (part.op === 'remove' && next?.op === 'add') index += 1;
    for (let line = 0; line < Math.max(removed.length, added.length); line += 1) {
      rows.push({ left: removed[line] ?? null, right: added[line] ?? null, kind: 'change', first: line === 0 });
    }
  }
  return rows;
}

/** Lines longer than this are not diffed word by word (the whole line is marked). */
const maxInlineChars = 4000;

/**
 * A changed line against the line that replaced it: the words only one side has are marked, so
 * the changed sentence stands out within its paragraph.
 */
function inlineChanges(left: string, right: string): [ReactNode, ReactNode] {
  if (left.length > maxInlineChars || right.length > maxInlineChars) return [left, right];
  const parts = diffWordsWithSpace(left, right);
  const side = (keep: 'removed' | 'added') =>
    parts.map((part, index) =>
      part[keep] ? (
        <mark key={index} className={keep === 'removed' ? 'rounded-sm bg-red-200 text-red-950' : 'rounded-sm bg-green-200 text-green-950'} data-testid={`word-${keep}`}>
          {part.value}
        </mark>
      ) : part.added || part.removed ? null : (
        <span key={index}>{part.value}</span>
      ),
    );
  return [side('removed'), side('added')];
}

/**
 * Two text versions side by side (lines, or a document's paragraphs), changed lines coloured and
 * marked − / + for those who cannot see colour, changed words marked within them. Each change
 * starts with a row marked data-difference, for the next/previous difference keys.
 */
export function SideBySideDiff({ diff, leftLabel, rightLabel, unit = 'lines' }: { diff: LineDiff; leftLabel: string; rightLabel: string; unit?: string }) {
  const rows = diffRows(diff);
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white" data-testid="text-diff">
      <p className="border-b px-3 py-1 text-xs text-slate-700">
        <span className="text-red-900">−{diff.removed}</span> <span className="text-green-900">+{diff.added}</span> {unit}
        {diff.truncated && (unit === 'lines' ? ' · first 256 KiB of each version' : ' · the start of each version')}
      </p>
      <table className="w-full table-fixed border-collapse font-mono text-xs">
        <thead className="sr-only">
          <tr>
            <th scope="col">{leftLabel}</th>
            <th scope="col">{rightLabel}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            if (row.kind === 'skip') {
              return (
                <tr key={index}>
                  <td colSpan={2} className="bg-slate-100 px-2 py-0.5 text-center text-slate-700">… {row.skipped} unchanged {unit} …</td>
                </tr>
              );
            }
            const [left, right] = row.kind === 'change' && row.left !== null && row.right !== null ? inlineChanges(row.left, row.right) : [row.left ?? '', row.right ?? ''];
            return (
              <tr key={index} className="align-top" data-difference={row.first ? '' : undefined} tabIndex={row.first ? -1 : undefined}>
                <td className={`border-r px-2 py-0.5 break-all whitespace-pre-wrap ${row.kind === 'change' && row.left !== null ? 'bg-red-50 text-red-950' : ''}`}>
                  {row.kind === 'change' && row.left !== null ? <span aria-label="removed">− </span> : null}
                  {left}
                </td>
                <td className={`px-2 py-0.5 break-all whitespace-pre-wrap ${row.kind === 'change' && row.right !== null ? 'bg-green-50 text-green-950' : ''}`}>
                  {row.kind === 'change' && row.right !== null ? <span aria-label="added">+ </span> : null}
                  {right}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
