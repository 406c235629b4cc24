/**
 * The demo scenario: a realistic multi-source space with planted problems and the findings a
 * correct engine must report (expected.json). Deterministic from the seed; `scale` multiplies the
 * clean bulk and the planted problems. Public surface of engine/scenario.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ScenarioBuilder, transferTime, type OriginState } from './builder.ts';
import { plantCleanBulk, plantNearMisses } from './clean.ts';
import { plantConflicts, plantDuplicates } from './copies.ts';
import { expectedSchema, findingKinds, type Completeness, type Expected } from './expected.ts';
import { plantCorrupt, plantMissing, plantPartials, plantPlaceholders } from './incomplete.ts';
import { allSources, configYaml, originPath } from './layout.ts';
import { writeLogs } from './logs.ts';
import { writeInventory } from './manifests.ts';
import { plantArtifacts, plantNameCollisions, plantUnreadable } from './names.ts';
import { createRandom } from './random.ts';

export { ScenarioBuilder, realDisk, type ScenarioDisk } from './builder.ts';
export { plantCleanBulk } from './clean.ts';
export { createRandom } from './random.ts';
export { compareFindings, type Comparison, type ReportedFinding } from './compare.ts';
export { expectedSchema, findingKinds, type Completeness, type Expected, type ExpectedFinding, type ExpectedRecovery, type FindingKind } from './expected.ts';

export interface ScenarioOptions {
  /** Folder to write into; created if missing. The caller decides whether it may be non-empty. */
  dir: string;
  seed: number;
  /** 1 = a few hundred files; n multiplies the clean bulk and the planted problems by n. */
  scale: number;
  onProgress?: (progress: ScenarioProgress) => void;
}

export interface ScenarioProgress {
  step: 'problems' | 'clean files' | 'inventories';
  done: number;
  total: number;
}

export interface Scenario {
  dir: string;
  space: string;
  config: string;
  expectedFile: string;
  expected: Expected;
}

/** Clean files per unit of scale. */
const cleanPerScale = 300;

export function generateScenario(options: ScenarioOptions): Scenario {
  if (!Number.isInteger(options.scale) || options.scale < 1) throw new Error(`scale must be a positive integer, not ${options.scale}`);
  if (!Number.isInteger(options.seed)) throw new Error(`seed must be an integer, not ${options.seed}`);
  const dir = path.resolve(options.dir);
  fs.mkdirSync(path.join(dir, 'space'), { recursive: true });
  const random = createRandom(options.seed);
  const builder = new ScenarioBuilder(dir, random.fork('space'));

  const total = options.scale * 2 + allSources.length;
  let done = 0;
  const progress = (step: ScenarioProgress['step']) => options.onProgress?.({ step, done: ++done, total });

  // Planted problems first, so the clean bulk can never take one of their names.
  for (let index = 0; index < options.scale; index += 1) {
    plantProblems(builder, roundFolder(index));
    progress('problems');
  }
  for (let index = 0; index < options.scale; index += 1) {
    plantCleanBulk(builder, cleanPerScale, roundFolder(index));
    progress('clean files');
  }
  builder.finish(transferTime + 7200);

  const missingPaths = new Set(builder.missing.map((ref) => `${ref.source}\0${ref.path}`));
  for (const source of allSources) {
    const entries = [...(builder.origins.get(source.id)?.values() ?? [])];
    writeInventory(dir, source, entries, transferTime - 3600);
    const notCopied = new Set(entries.filter((entry) => missingPaths.has(`${source.id}\0${originPath(source, entry.rel)}`)).map((entry) => entry.rel));
    writeLogs(dir, { source, entries, events: builder.logEvents.filter((event) => event.source === source.id), notCopied });
    progress('inventories');
  }

  const config = path.join(dir, 'reconcile.yaml');
  fs.writeFileSync(config, configYaml());

  const findingCounts = Object.fromEntries(findingKinds.map((kind) => [kind, builder.findings.filter((finding) => finding.kind === kind).length]));
  const expected = expectedSchema.parse({
    format: 'reconcile-scenario-expected',
    version: 1,
    seed: options.seed,
    scale: options.scale,
    space: 'space',
    config: 'reconcile.yaml',
    sources: allSources.map((source) => source.id),
    findings: builder.findings,
    clean: [...builder.clean].sort(),
    missing: builder.missing,
    recovery: [...builder.recovery].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    unreadable: builder.unreadable,
    completeness: completeness(builder),
    counts: { files: builder.files, bytes: builder.bytes, clean: builder.clean.length, findings: findingCounts },
  });
  const expectedFile = path.join(dir, 'expected.json');
  fs.writeFileSync(expectedFile, `${JSON.stringify(expected, null, 2)}\n`);
  fixTimes(dir, ['manifests', 'logs'], ['reconcile.yaml', 'expected.json', 'space', 'origins']);
  return { dir, space: path.join(dir, 'space'), config, expectedFile, expected };
}

/** The sub-folder that keeps round `index` (0-based) of planted problems apart: none for the first. */
export function roundFolder(index: number): string {
  return index === 0 ? '' : `round${index + 1}/`;
}

/** One unit of scale's planted problems (and the near misses beside them). */
export function plantProblems(builder: ScenarioBuilder, round: string): void {
  plantDuplicates(builder, round);
  plantConflicts(builder, round);
  plantPlaceholders(builder, round);
  plantPartials(builder, round);
  plantCorrupt(builder, round);
  plantMissing(builder, round);
  plantArtifacts(builder, round);
  plantNameCollisions(builder, round);
  plantUnreadable(builder, round);
  plantNearMisses(builder, round);
}

function completeness(builder: ScenarioBuilder): Completeness[] {
  return allSources
    .filter((source) => builder.origins.has(source.id))
    .map((source) => {
      const entries = [...builder.origins.get(source.id)!.values()];
      const sum = (state?: OriginState) => {
        const chosen = entries.filter((entry) => entry.type === 'file' && (state === undefined || entry.state === state));
        return { files: chosen.length, bytes: chosen.reduce((total, entry) => total + entry.size, 0) };
      };
      return { source: source.id, ...sum(), present: sum('present'), missing: sum('missing'), placeholder: sum('placeholder'), partial: sum('partial') };
    });
}

/** The files around the space get fixed times too, so two runs give identical trees. */
function fixTimes(dir: string, folders: string[], names: string[]): void {
  const time = transferTime + 7200;
  const touch = (target: string) => fs.utimesSync(target, time, time);
  for (const folder of folders) {
    const full = path.join(dir, folder);
    if (!fs.existsSync(full)) continue;
    for (const name of fs.readdirSync(full)) touch(path.join(full, name));
    touch(full);
  }
  for (const name of names) touch(path.join(dir, name));
}

/** Reads and validates a scenario's expected.json. */
export function readExpected(file: string): Expected {
  return expectedSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}
