/**
 * Evidence is typed per finding kind: the compiler refuses what a kind's schema refuses (checked
 * by tsc, which this file is part of), every finding the classifiers write on the generated
 * scenario is fully described by its kind's schema (parsing drops nothing), and evidence that does
 * not fit its kind fails with the finding's id.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evidenceSchemas, findingKinds, parseStoredEvidence } from '../../engine/classify/index.ts';
import type { FindingDraft } from '../../engine/classify/run.ts';
import { openDatabase } from '../../engine/db/index.ts';
import { generateScenario } from '../../engine/scenario/index.ts';
import { runCli, tempDir } from '../helpers.ts';

describe('evidence schemas', () => {
  it('refuse, at compile time and when parsed, evidence a kind does not carry', () => {
    const wrongType: FindingDraft = {
      kind: 'staged',
      rule: 'mapped-into-layout',
      files: [],
      evidence: {
        // @ts-expect-error a staged finding names its place as a path
        to: 42,
        mapping: { from: 'inbox', to: 'canonical' },
      },
    };
    const unknownField: FindingDraft = {
      kind: 'trash',
      rule: 'macos-trash',
      files: [],
      evidence: {
        folder: '/space/.Trashes',
        uniqueFiles: 0,
        uniqueBytes: 0,
        // @ts-expect-error trash evidence has no copies count
        copies: 2,
      },
    };
    const otherKinds: FindingDraft = {
      kind: 'duplicate',
      rule: 'same-content',
      files: [],
      // @ts-expect-error a duplicate's evidence is not a conflict's
      evidence: { versions: 2 },
    };
    expect(evidenceSchemas.staged.safeParse(wrongType.evidence).success).toBe(false);
    expect(evidenceSchemas.duplicate.safeParse(otherKinds.evidence).success).toBe(false);
    // Parsing keeps only what the schema names: the unknown field is not carried on.
    expect(evidenceSchemas.trash.parse(unknownField.evidence)).toEqual({ folder: '/space/.Trashes', uniqueFiles: 0, uniqueBytes: 0 });
  });

  it('has a schema for every finding kind', () => {
    expect(Object.keys(evidenceSchemas).sort()).toEqual([...findingKinds].sort());
  });

  it('names the finding when stored evidence does not fit its kind', () => {
    expect(() => parseStoredEvidence('f-1', 'duplicate', '{"copies":"two","intendedCopies":0,"inodes":2,"files":[]}')).toThrow(
      /finding f-1: evidence that does not fit kind duplicate at evidence\.copies/,
    );
    expect(() => parseStoredEvidence('f-2', 'staged', 'not json')).toThrow(/finding f-2: its evidence is not JSON/);
    expect(() => parseStoredEvidence('f-3', 'no-such-kind', '{"files":[]}')).toThrow(/finding f-3: .*kind no-such-kind/);
    expect(() => parseStoredEvidence('f-4', 'trash', '{"folder":"/space/.Trashes","uniqueFiles":0,"uniqueBytes":0}')).toThrow(/finding f-4: .*files/);
  });

  it('reads rows that lack what only some rules write', () => {
    const parsed = parseStoredEvidence('f-5', 'duplicate', '{"copies":2,"intendedCopies":0,"inodes":2,"files":[]}');
    expect(parsed).toEqual({ kind: 'duplicate', evidence: { copies: 2, intendedCopies: 0, inodes: 2, files: [] } });
  });
});

describe('evidence the classifiers write on the generated scenario', () => {
  let rows: { id: string; kind: string; evidenceJson: string }[];

  beforeAll(() => {
    const scenario = generateScenario({ dir: tempDir('reconcile-evidence-scenario-'), seed: 7, scale: 1 });
    const dataDir = tempDir('reconcile-evidence-data-');
    for (const command of ['scan', 'findings']) {
      const result = runCli(['--config', scenario.config, '--json', command], { dataDir });
      expect(result.status, result.stderr).toBe(0);
    }
    const db = openDatabase(path.join(dataDir, 'reconcile.db'));
    rows = db.prepare('SELECT id, kind, evidenceJson FROM Finding ORDER BY id').all() as typeof rows;
    db.close();
  }, 180_000);

  it('is described by its kind schema, field for field', () => {
    expect(new Set(rows.map((row) => row.kind)).size).toBeGreaterThan(8);
    for (const row of rows) {
      const { kind, evidence } = parseStoredEvidence(row.id, row.kind, row.evidenceJson);
      expect(kind).toBe(row.kind);
      expect(evidence, `${row.kind} ${row.id}`).toEqual(JSON.parse(row.evidenceJson));
    }
  });
});
