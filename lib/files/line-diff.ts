/**
 * Line diffs for people to read side by side, bounded so that no pair of files can hold the one
 * thread that serves everyone. Myers' algorithm costs about (lines × changed lines): two 64 KiB
 * texts with no line in common took 34 s unbounded. So: common head and tail lines are set aside
 * first; a pair that must differ in more than `maxChangedLines` lines (counted from the lines they
 * share, in linear time) is answered "too different" at once. Otherwise the diff gets a short
 * blocking attempt (most diffs finish in it), then runs in jsdiff's asynchronous mode, which yields
 * to other requests between steps (about 1 ms a step, so only diffs that need it pay for it), and
 * gives up beyond `maxChangedLines` changed lines or `diffTimeoutMs`.
 */
import { diffArrays, type ArrayChange } from 'diff';

export const maxChangedLines = 2000;
export const diffTimeoutMs = 5000;
/** How long a diff may hold the thread before it continues in steps. */
export const blockingDiffMs = 50;

export interface LineDiff {
  /** Each part is added (only in b), removed (only in a) or common. */
  parts: { op: 'add' | 'remove' | 'same'; lines: number; text: string }[];
  truncated: boolean;
  added: number;
  removed: number;
}

export type LineDiffResult = { status: 'diff'; diff: LineDiff } | { status: 'too-different'; reason: string };

/** Lines with their line ends, so the parts join back into the texts exactly. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The fewest changed lines any diff of `a` and `b` can have: lines not matched by an equal line on the other side. */
function leastChangedLines(a: readonly string[], b: readonly string[]): number {
  const unmatched = new Map<string, number>();
  for (const line of a) unmatched.set(line, (unmatched.get(line) ?? 0) + 1);
  let common = 0;
  for (const line of b) {
    const count = unmatched.get(line);
    if (count) {
      unmatched.set(line, count - 1);
      common += 1;
    }
  }
  return a.length + b.length - 2 * common;
}

async function changesBetween(a: number[], b: number[], blockingMs: number): Promise<ArrayChange<number>[] | undefined> {
  if (blockingMs > 0) {
    const quick = diffArrays(a, b, { maxEditLength: maxChangedLines, timeout: blockingMs });
    if (quick) return quick;
  }
  return new Promise((resolve) => diffArrays(a, b, { maxEditLength: maxChangedLines, timeout: diffTimeoutMs, callback: resolve }));
}

export interface DiffOptions {
  /** The texts are the heads of longer files. */
  truncated?: boolean;
  /** Milliseconds the diff may hold the thread before it continues in steps (tests set 0). */
  blockingMs?: number;
}

export async function diffTexts(a: string, b: string, { truncated = false, blockingMs = blockingDiffMs }: DiffOptions = {}): Promise<LineDiffResult> {
  const left = splitLines(a);
  const right = splitLines(b);
  let head = 0;
  while (head < left.length && head < right.length && left[head] === right[head]) head += 1;
  let tail = 0;
  while (tail < left.length - head && tail < right.length - head && left[left.length - 1 - tail] === right[right.length - 1 - tail]) tail += 1;
  const middleLeft = left.slice(head, left.length - tail);
  const middleRight = right.slice(head, right.length - tail);
  const least = leastChangedLines(middleLeft, middleRight);
  if (least > maxChangedLines) {
    return { status: 'too-different', reason: `the versions differ in at least ${least} lines; line diffs are shown for up to ${maxChangedLines} changed lines` };
  }

  // Lines as numbers: the diff compares numbers, not strings.
  const ids = new Map<string, number>();
  const idOf = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const changes = middleLeft.length === 0 && middleRight.length === 0 ? [] : await changesBetween(middleLeft.map(idOf), middleRight.map(idOf), blockingMs);
  if (!changes) {
    return { status: 'too-different', reason: `more than ${maxChangedLines} changed lines, or more than ${diffTimeoutMs / 1000} s to work them out` };
  }

  const parts: LineDiff['parts'] = [];
  const push = (op: 'add' | 'remove' | 'same', lines: string[]) => {
    if (lines.length > 0) parts.push({ op, lines: lines.length, text: lines.join('') });
  };
  push('same', left.slice(0, head));
  let inLeft = 0;
  let inRight = 0;
  for (const change of changes) {
    const count = change.count ?? change.value.length;
    if (change.added) {
      push('add', middleRight.slice(inRight, (inRight += count)));
    } else if (change.removed) {
      push('remove', middleLeft.slice(inLeft, (inLeft += count)));
    } else {
      push('same', middleLeft.slice(inLeft, (inLeft += count)));
      inRight += count;
    }
  }
  push('same', left.slice(left.length - tail));
  const total = (op: 'add' | 'remove') => parts.filter((part) => part.op === op).reduce((sum, part) => sum + part.lines, 0);
  return { status: 'diff', diff: { parts, truncated, added: total('add'), removed: total('remove') } };
}
