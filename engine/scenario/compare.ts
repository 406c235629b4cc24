/**
 * Scores reported findings against a scenario's expected.json: which planted problems were found
 * with the right kind, which were missed, and which clean files were flagged. Reported findings
 * use the `reconcile findings --json` shape (absolute space paths; origin paths for *missing*).
 */
import path from 'node:path';
import { isProblemKind } from '../classify/types.ts';
import type { Expected, ExpectedFinding } from './expected.ts';

export interface ReportedFinding {
  id: string;
  kind: string;
  paths: string[];
  evidence?: unknown;
}

export interface Miss {
  label: string;
  kind: string;
  paths: string[];
  /** Kinds reported for these paths instead, if any. */
  reportedAs: string[];
}

export interface Comparison {
  matched: number;
  missed: Miss[];
  cleanFlagged: { path: string; kind: string; id: string }[];
}

export function compareFindings(expected: Expected, reported: ReportedFinding[], spaceDir: string): Comparison {
  const relative = reported.map((finding) => ({
    finding,
    paths: new Set(finding.paths.map((each) => (path.isAbsolute(each) && each.startsWith(`${spaceDir}/`) ? path.relative(spaceDir, each) : each))),
    evidence: JSON.stringify(finding.evidence ?? {}),
  }));
  const missed: Miss[] = [];
  for (const planted of expected.findings) {
    const hits = relative.filter((candidate) => covers(planted, candidate.paths, candidate.evidence));
    if (hits.some((hit) => hit.finding.kind === planted.kind)) continue;
    missed.push({ label: planted.label, kind: planted.kind, paths: pathsOf(planted), reportedAs: [...new Set(hits.map((hit) => hit.finding.kind))].sort() });
  }
  const clean = new Set(expected.clean);
  // A clean inbox file planned into the layout (`staged`) is routine work, not a flag.
  const cleanFlagged = relative.filter(({ finding }) => isProblemKind(finding.kind)).flatMap(({ finding, paths }) =>
    [...paths].filter((each) => clean.has(each)).map((each) => ({ path: each, kind: finding.kind, id: finding.id })),
  );
  return { matched: expected.findings.length - missed.length, missed, cleanFlagged };
}

/** A planted finding is covered when every space path it names is reported (or, without any, its origin path). */
function covers(planted: ExpectedFinding, reported: Set<string>, evidence: string): boolean {
  if (planted.paths.length > 0) return planted.paths.every((each) => reported.has(each));
  return planted.origin.some((ref) => reported.has(ref.path) || evidence.includes(JSON.stringify(ref.path)));
}

function pathsOf(planted: ExpectedFinding): string[] {
  return planted.paths.length > 0 ? planted.paths : planted.origin.map((ref) => ref.path);
}
