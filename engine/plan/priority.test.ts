import { describe, expect, it } from 'vitest';
import { priorityRules, type PriorityRule } from '../config/index.ts';
import type { FileRef } from '../classify/index.ts';
import { chooseKeeper, type SourceTraits } from './priority.ts';

const traits = new Map<string, SourceTraits>([
  ['motoko', { class: 'local', systemOfRecord: true }],
  ['mac', { class: 'local', systemOfRecord: false }],
  ['m365', { class: 'cloud', systemOfRecord: false }],
]);

function file(path: string, overrides: Partial<FileRef> = {}): FileRef {
  return {
    path,
    spacePath: path.slice('/space/'.length),
    sources: ['mac'],
    type: 'file',
    size: 100,
    mtimeNs: '1767000000000000000',
    hash: 'h',
    role: 'device',
    intended: false,
    ...overrides,
  };
}

/** Each case: candidates that tie on every rule except the one under test. */
const cases: Record<PriorityRule, { winner: FileRef; loser: FileRef }> = {
  'system-of-record': {
    winner: file('/space/devices/a/x.txt', { sources: ['motoko'] }),
    loser: file('/space/devices/b/x.txt'),
  },
  'local-over-cloud': {
    winner: file('/space/devices/b/x.txt'),
    loser: file('/space/devices/a/x.txt', { sources: ['m365'] }),
  },
  'complete-over-partial': {
    winner: file('/space/devices/b/x.txt', { size: 200 }),
    loser: file('/space/devices/a/x.txt', { size: 100 }),
  },
  'newest-mtime': {
    winner: file('/space/devices/b/x.txt', { mtimeNs: '1767000000000000001' }),
    loser: file('/space/devices/a/x.txt'),
  },
  'cleanest-name': {
    winner: file('/space/devices/b/report.txt'),
    loser: file('/space/devices/a/report (1).txt'),
  },
  'shortest-path': {
    winner: file('/space/devices/bb/x.txt'),
    loser: file('/space/devices/aaa/x.txt'),
  },
};

describe('priority rules', () => {
  for (const rule of priorityRules) {
    it(`${rule} decides when every earlier rule ties`, () => {
      const { winner, loser } = cases[rule];
      const choice = chooseKeeper([loser, winner], priorityRules, traits);
      expect(choice).toEqual({ keeper: winner, rule });
    });
  }

  it('follows the configured order: the first rule that separates the candidates wins', () => {
    const cloudNewer = file('/space/devices/a/x.txt', { sources: ['m365'], mtimeNs: '1767000000000000009' });
    const localOlder = file('/space/devices/b/x.txt');
    expect(chooseKeeper([cloudNewer, localOlder], ['local-over-cloud', 'newest-mtime'], traits)).toEqual({ keeper: localOlder, rule: 'local-over-cloud' });
    expect(chooseKeeper([cloudNewer, localOlder], ['newest-mtime', 'local-over-cloud'], traits)).toEqual({ keeper: cloudNewer, rule: 'newest-mtime' });
  });

  it('the canonical role counts as system of record', () => {
    const canonical = file('/space/mike/x.txt', { role: 'canonical' });
    expect(chooseKeeper([file('/space/inbox/x.txt', { role: 'inbox' }), canonical], ['system-of-record'], traits).keeper).toBe(canonical);
  });

  it('falls back to path order when every rule ties, and reports a single candidate as such', () => {
    const a = file('/space/devices/a/x.txt');
    const b = file('/space/devices/b/x.txt');
    expect(chooseKeeper([b, a], priorityRules, traits)).toEqual({ keeper: a, rule: 'path-order' });
    expect(chooseKeeper([b], priorityRules, traits)).toEqual({ keeper: b, rule: 'only-candidate' });
  });
});
