// Line diffs are bounded: a pair of texts that would take Myers' algorithm tens of seconds gets a
// "too different" answer instead, and a diff being worked out lets other work run meanwhile.
import { describe, expect, it } from 'vitest';
import { diffTexts, maxChangedLines, type LineDiff } from './line-diff.ts';

const joined = (diff: LineDiff, keep: 'add' | 'remove') => diff.parts.filter((part) => part.op === 'same' || part.op === keep).map((part) => part.text).join('');

/** 64 KiB of short numbered lines: each text's lines appear nowhere in the other. */
const noCommonLine = (prefix: string) => Array.from({ length: 64 * 1024 / 8 }, (_, index) => `${prefix}${String(index).padStart(6, '0')}\n`).join('');

describe('bounded line diffs', () => {
  it('diffs texts that differ in a few lines, and the parts rebuild both texts', async () => {
    const a = Array.from({ length: 5000 }, (_, index) => `paragraph ${index}\n`).join('');
    const b = a.replace('paragraph 10\n', 'paragraph ten\n').replace('paragraph 4000\n', '').concat('an ending without newline');
    const result = await diffTexts(a, b);
    if (result.status !== 'diff') throw new Error(result.reason);
    expect(result.diff).toMatchObject({ added: 2, removed: 2, truncated: false });
    expect(result.diff.parts.map((part) => part.op)).toEqual(['same', 'remove', 'add', 'same', 'remove', 'same', 'add']);
    expect(joined(result.diff, 'remove')).toBe(a);
    expect(joined(result.diff, 'add')).toBe(b);
    expect(await diffTexts('same\n', 'same\n')).toEqual({ status: 'diff', diff: { parts: [{ op: 'same', lines: 1, text: 'same\n' }], truncated: false, added: 0, removed: 0 } });
    expect(await diffTexts('', 'new\n')).toEqual({ status: 'diff', diff: { parts: [{ op: 'add', lines: 1, text: 'new\n' }], truncated: false, added: 1, removed: 0 } });
  });

  it('answers two 64 KiB texts with no common line "too different" (unbounded, that diff took 34 s)', async () => {
    const a = noCommonLine('a');
    const b = noCommonLine('b');
    expect(a.length).toBe(64 * 1024);
    const result = await diffTexts(a, b);
    expect(result.status).toBe('too-different');
    if (result.status === 'too-different') expect(result.reason).toBe(`the versions differ in at least 16384 lines; line diffs are shown for up to ${maxChangedLines} changed lines`);
  });

  it('gives up on texts that share their lines in another order, beyond the changed-line bound', async () => {
    const lines = Array.from({ length: 6000 }, (_, index) => `line ${index}\n`);
    // Every line is in both, so no count rules it out; the order makes thousands of changes.
    const reordered = lines.filter((_, index) => index % 2 === 0).concat(lines.filter((_, index) => index % 2 === 1));
    const result = await diffTexts(lines.join(''), reordered.join(''));
    expect(result).toEqual({ status: 'too-different', reason: `more than ${maxChangedLines} changed lines, or more than 5 s to work them out` });
  });

  it('lets other work run while a diff is worked out in steps (it does not hold the thread)', async () => {
    const lines = Array.from({ length: 3000 }, (_, index) => `line ${index}\n`);
    const shifted = lines.map((line, index) => (index % 10 === 0 ? `changed ${line}` : line));
    let servedMeanwhile = false;
    // No blocking attempt: straight to the stepwise diff a long one continues in.
    const diff = diffTexts(lines.join(''), shifted.join(''), { blockingMs: 0 });
    setTimeout(() => (servedMeanwhile = true), 0);
    const result = await diff;
    expect(result.status === 'diff' && result.diff.added).toBe(300);
    expect(servedMeanwhile).toBe(true);
  });
});
