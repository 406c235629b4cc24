// What the cards show of fetched files, read from the evidence classify writes: a match riding on
// the finding that named the entry, a mismatch beside it, and a fetched file flagged on its own.
import { describe, expect, it } from 'vitest';
import { recoveredFiles } from './recovered-files.ts';

const origins = new Map([
  ['mac', '/Users/miket/dev/'],
  ['cloud', 'm365:_MAIN_FILES'],
]);

const target = {
  source: 'mac',
  relPath: 'docs/a.md',
  reason: 'missing',
  originPath: '/Users/miket/dev/docs/a.md',
  size: 4,
  mtimeNs: '1',
  hash: 'h',
  hashKind: 'xxh128',
};

describe('recoveredFiles', () => {
  it('names the origin, the match and the placement of a fetched copy; skips entries not fetched', () => {
    const evidence = {
      outstanding: [
        {
          ...target,
          recovered: {
            file: { path: '/space/inbox/recovery/mac/docs/a.md' },
            match: { status: 'hash-match', strength: 'strong', evidence: { hashKind: 'xxh128', expectedHash: 'h', actualHash: 'h' } },
            placement: { to: 'place', path: '/space/mike/dev/docs/a.md', spacePath: 'mike/dev/docs/a.md', replaces: 'nothing' },
          },
        },
        { ...target, relPath: 'old.md', reason: 'overwritten-version', recovered: { file: { path: '/space/inbox/recovery/mac/old.md' }, match: { status: 'size-mtime-match', strength: 'weak', evidence: {} }, placement: { to: 'conflicts', why: 'overwritten-version' } } },
        { ...target, relPath: 'bad.bin', mismatch: { path: '/space/inbox/recovery/mac/bad.bin', status: 'hash-mismatch', evidence: { expectedHash: 'h', actualHash: 'x' } } },
        { ...target, relPath: 'still-to-fetch.md' },
      ],
    };
    expect(recoveredFiles(evidence, [], origins)).toEqual([
      { source: 'mac', origin: '/Users/miket/dev/', originPath: target.originPath, file: '/space/inbox/recovery/mac/docs/a.md', status: 'hash-match', strength: 'strong', placement: '/space/mike/dev/docs/a.md', evidence: { hashKind: 'xxh128', expectedHash: 'h', actualHash: 'h' } },
      { source: 'mac', origin: '/Users/miket/dev/', originPath: target.originPath, file: '/space/inbox/recovery/mac/old.md', status: 'size-mtime-match', strength: 'weak', placement: 'conflicts', evidence: {} },
      { source: 'mac', origin: '/Users/miket/dev/', originPath: target.originPath, file: '/space/inbox/recovery/mac/bad.bin', status: 'hash-mismatch', strength: 'mismatch', placement: null, evidence: { expectedHash: 'h', actualHash: 'x' } },
    ]);
  });

  it('reads a finding of its own about one fetched file as a mismatch that is never placed', () => {
    const evidence = { recoveredFrom: 'cloud', relPath: 'r.docx', expected: { size: 9, mtimeNs: null, originPath: 'm365:_MAIN_FILES/r.docx' }, status: 'hash-mismatch', match: { actualSize: 9 } };
    expect(recoveredFiles(evidence, ['/space/inbox/recovery/cloud/r.docx'], origins)).toEqual([
      {
        source: 'cloud',
        origin: 'm365:_MAIN_FILES',
        originPath: 'm365:_MAIN_FILES/r.docx',
        file: '/space/inbox/recovery/cloud/r.docx',
        status: 'hash-mismatch',
        strength: 'mismatch',
        placement: null,
        evidence: { expected: evidence.expected, actualSize: 9 },
      },
    ]);
    expect(recoveredFiles({ recoveredFrom: 'gone', relPath: 'x' }, ['/f'], origins)[0]).toMatchObject({ origin: null, status: 'not-in-inventory', strength: 'mismatch' });
  });

  it('finds nothing in evidence without fetched files', () => {
    expect(recoveredFiles({ realPath: '/space/a' }, ['/space/a'], origins)).toEqual([]);
  });
});
