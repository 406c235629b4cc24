'use client';
import type { LineDiff } from '@/lib/files/line-diff.ts';

interface Row {
  left: string | null;
  right: string | null;
  kind: 'same' | 'change' | 'skip';
  /** For a folded run: how many unchanged lines it stands for. */
  skipped?: number;
}

/** Unchanged lines kept around each change; longer unchanged runs fold into one row. */
const context = 3;

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Pairs removed lines with the added lines that replace them, so both versions read across. */
export function diffRows(diff: LineDiff): Row[] {
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
      rows.push({ left: removed[line] ?? null, right: added[line] ?? null, kind: 'change' });
    }
  }
  return rows;
}

/** Two text versions side by side, changed lines coloured (and marked − / + for those who cannot see colour). */
export function SideBySideDiff({ diff, leftLabel, rightLabel }: { diff: LineDiff; leftLabel: string; rightLabel: string }) {
  const rows = diffRows(diff);
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white" data-testid="text-diff">
      <p className="border-b px-3 py-1 text-xs text-slate-700">
        <span className="text-red-900">−{diff.removed}</span> <span className="text-green-900">+{diff.added}</span> lines
        {diff.truncated && ' · first 256 KiB of each version'}
      </p>
      <table className="w-full table-fixed border-collapse font-mono text-xs">
        <thead className="sr-only">
          <tr>
            <th scope="col">{leftLabel}</th>
            <th scope="col">{rightLabel}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) =>
            row.kind === 'skip' ? (
              <tr key={index}>
                <td colSpan={2} className="bg-slate-100 px-2 py-0.5 text-center text-slate-700">… {row.skipped} unchanged lines …</td>
              </tr>
            ) : (
            <tr key={index} className="align-top">
              <td className={`border-r px-2 py-0.5 break-all whitespace-pre-wrap ${row.kind === 'change' && row.left !== null ? 'bg-red-50 text-red-950' : ''}`}>
                {row.kind === 'change' && row.left !== null ? <span aria-label="removed">− </span> : null}
                {row.left ?? ''}
              </td>
              <td className={`px-2 py-0.5 break-all whitespace-pre-wrap ${row.kind === 'change' && row.right !== null ? 'bg-green-50 text-green-950' : ''}`}>
                {row.kind === 'change' && row.right !== null ? <span aria-label="added">+ </span> : null}
                {row.right ?? ''}
              </td>
            </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
