/** The demo scenario: deterministic, scalable, and internally consistent (files, inventories, logs, expected.json). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseBuffer as parseBinaryPlist } from 'bplist-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import xxhash from 'xxhash-addon';
import { loadConfig, loadEnv } from '../../engine/config/index.ts';
import { compareFindings, findingKinds, generateScenario, readExpected, type Expected, type ReportedFinding, type Scenario } from '../../engine/scenario/index.ts';
import { tempDir } from '../helpers.ts';

interface TreeEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  size: number;
  mtimeMs: number;
  sha1?: string;
  target?: string;
}

/** Every entry under `root` with what a byte-for-byte comparison needs. */
function walk(root: string, rel = ''): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
    const child = rel ? `${rel}/${name}` : name;
    const full = path.join(root, child);
    const stat = fs.lstatSync(full);
    if (stat.isSymbolicLink()) {
      entries.push({ path: child, type: 'symlink', mode: 0, size: stat.size, mtimeMs: stat.mtimeMs, target: fs.readlinkSync(full) });
    } else if (stat.isDirectory()) {
      entries.push({ path: child, type: 'dir', mode: stat.mode & 0o777, size: 0, mtimeMs: stat.mtimeMs });
      entries.push(...walk(root, child));
    } else {
      const sha1 = crypto.createHash('sha1').update(fs.readFileSync(full)).digest('hex');
      entries.push({ path: child, type: 'file', mode: stat.mode & 0o777, size: stat.size, mtimeMs: stat.mtimeMs, sha1 });
    }
  }
  return entries;
}

const manifestHeader = z.strictObject({
  format: z.literal('reconcile-manifest'),
  version: z.literal(1),
  host: z.string().min(1),
  root: z.string().min(1),
  pathStyle: z.enum(['posix', 'windows']),
  createdAt: z.string().datetime(),
});
const manifestLine = z.strictObject({
  path: z.string().min(1).refine((value) => !value.startsWith('/') && !value.includes('\\')),
  type: z.enum(['file', 'dir', 'symlink']),
  size: z.number().int().nonnegative(),
  mtimeNs: z.string().regex(/^\d+$/),
  xxh128: z.string().regex(/^[0-9a-f]{32}$/).optional(),
});
const lsjsonItem = z.strictObject({
  Path: z.string().min(1),
  Name: z.string().min(1),
  Size: z.number().int(),
  MimeType: z.string(),
  ModTime: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/),
  IsDir: z.boolean(),
  Hashes: z.strictObject({ sha1: z.string().regex(/^[0-9a-f]{40}$/).optional(), quickxor: z.string().regex(/^[0-9a-f]{40}$/).optional() }).optional(),
});

function readManifest(file: string) {
  const [header, ...lines] = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trimEnd().split('\n');
  return { header: manifestHeader.parse(JSON.parse(header!)), entries: lines.map((line) => manifestLine.parse(JSON.parse(line))) };
}

describe('demo scenario', () => {
  let scenario: Scenario;
  let expected: Expected;
  const spaceFile = (rel: string) => path.join(scenario.space, rel);

  beforeAll(() => {
    scenario = generateScenario({ dir: tempDir('scenario-'), seed: 7, scale: 1 });
    expected = readExpected(scenario.expectedFile);
  });

  it('is byte-identical for the same seed and different for another seed', () => {
    const again = generateScenario({ dir: tempDir('scenario-'), seed: 7, scale: 1 });
    const other = generateScenario({ dir: tempDir('scenario-'), seed: 8, scale: 1 });
    expect(walk(again.dir)).toEqual(walk(scenario.dir));
    expect(fs.readFileSync(again.expectedFile)).toEqual(fs.readFileSync(scenario.expectedFile));
    expect(fs.readFileSync(other.expectedFile).equals(fs.readFileSync(scenario.expectedFile))).toBe(false);
    const hashes = (tree: TreeEntry[]) => new Set(tree.map((entry) => entry.sha1).filter(Boolean));
    const ours = hashes(walk(scenario.space));
    const shared = [...hashes(walk(other.space))].filter((hash) => ours.has(hash));
    // Only the fixed-content files (empty files, constant litter) may coincide across seeds.
    expect(shared.length).toBeLessThan(5);
  });

  it('multiplies files and planted problems with the scale knob', () => {
    const double = generateScenario({ dir: tempDir('scenario-'), seed: 7, scale: 2 }).expected;
    expect(expected.counts.files).toBeGreaterThan(200);
    expect(expected.counts.files).toBeLessThan(1000);
    expect(double.counts.files).toBeGreaterThanOrEqual(expected.counts.files * 2 - 10);
    for (const kind of findingKinds) expect(double.counts.findings[kind]).toBe(expected.counts.findings[kind]! * 2);
  });

  it('plants every kind of finding, each with real paths or origin entries', () => {
    for (const kind of findingKinds) expect(expected.findings.some((finding) => finding.kind === kind), kind).toBe(true);
    for (const finding of expected.findings) {
      expect(finding.paths.length + finding.origin.length, finding.label).toBeGreaterThan(0);
      for (const rel of [...finding.paths, ...finding.related]) expect(fs.existsSync(spaceFile(rel)), `${finding.label}: ${rel}`).toBe(true);
      for (const ref of finding.origin) expect(expected.sources).toContain(ref.source);
    }
    const missing = expected.findings.filter((finding) => finding.kind === 'missing').flatMap((finding) => finding.origin);
    expect(missing).toEqual(expected.missing);
    expect(expected.completeness.map((source) => source.source)).toEqual(['count-zero-dev', 'count-zero-main-files', 'm365-main-files', 'wintermute-mdt', 'count-zero-icloud']);
    for (const source of expected.completeness) {
      const buckets = [source.present, source.missing, source.placeholder, source.partial];
      expect(buckets.reduce((sum, bucket) => sum + bucket.files, 0), source.source).toBe(source.files);
      expect(buckets.reduce((sum, bucket) => sum + bucket.bytes, 0), source.source).toBe(source.bytes);
      expect(source.missing.files).toBe(expected.missing.filter((ref) => ref.source === source.source).length);
    }
  });

  it('keeps clean files apart from every finding', () => {
    const involved = new Set(expected.findings.flatMap((finding) => [...finding.paths, ...finding.related]));
    expect(expected.clean.length).toBeGreaterThan(250);
    for (const rel of expected.clean) {
      expect(involved.has(rel), rel).toBe(false);
      const stat = fs.lstatSync(spaceFile(rel));
      expect(stat.isFile() || stat.isSymbolicLink(), rel).toBe(true);
    }
  });

  it('has duplicated content exactly where duplicates are planted', () => {
    const byContent = new Map<string, string[]>();
    for (const entry of walk(scenario.space)) {
      if (entry.type !== 'file' || entry.size === 0) continue;
      byContent.set(entry.sha1!, [...(byContent.get(entry.sha1!) ?? []), entry.path]);
    }
    const groups = [...byContent.values()].filter((paths) => paths.length > 1).map((paths) => [...paths].sort());
    const planted = expected.findings.filter((finding) => finding.kind === 'duplicate').map((finding) => [...finding.paths].sort());
    expect(groups.sort()).toEqual(planted.sort());
  });

  it('writes origin manifests that parse and agree with the clean files on disk', () => {
    const config = loadConfig({ file: scenario.config, env: loadEnv({ RECONCILE_DATA_DIR: tempDir() }) });
    const clean = new Set(expected.clean);
    let checked = 0;
    for (const source of config.sources) {
      expect(fs.statSync(source.root).isDirectory(), source.id).toBe(true);
      if (!source.manifestPath || source.manifestPath.endsWith('.json')) continue;
      const { header, entries } = readManifest(source.manifestPath);
      expect(header.host).toBe(source.host);
      expect(header.root).toBe(source.origin);
      expect(header.pathStyle).toBe(source.id === 'wintermute-mdt' ? 'windows' : 'posix');
      expect(entries.map((entry) => entry.path)).toEqual(entries.map((entry) => entry.path).sort());
      for (const entry of entries) {
        const file = path.join(source.root, entry.path);
        if (entry.type === 'symlink') expect(fs.lstatSync(file).isSymbolicLink(), entry.path).toBe(true);
        if (entry.type !== 'file' || !clean.has(path.relative(scenario.space, file))) continue;
        const stat = fs.statSync(file, { bigint: true });
        expect(stat.size).toBe(BigInt(entry.size));
        expect(stat.mtimeNs).toBe(BigInt(entry.mtimeNs));
        expect(xxhash.XXHash128.hash(fs.readFileSync(file)).toString('hex')).toBe(entry.xxh128);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('writes each origin tree beside the space, whole: every inventory entry with the content its inventory gives', () => {
    const config = loadConfig({ file: scenario.config, env: loadEnv({ RECONCILE_DATA_DIR: tempDir() }) });
    let checked = 0;
    for (const source of config.sources) {
      if (!source.manifestPath) continue;
      expect(source.reach, source.id).toBe(`origins/${source.id}`);
      const tree = path.join(scenario.dir, 'origins', source.id);
      const files = source.manifestPath.endsWith('.json')
        ? z.array(lsjsonItem).parse(JSON.parse(fs.readFileSync(source.manifestPath, 'utf8'))).filter((item) => !item.IsDir).map((item) => ({ path: item.Path, size: item.Size, sha1: item.Hashes?.sha1 }))
        : readManifest(source.manifestPath).entries.filter((entry) => entry.type === 'file').map((entry) => ({ path: entry.path, size: entry.size, xxh128: entry.xxh128 }));
      for (const entry of files) {
        const content = fs.readFileSync(path.join(tree, entry.path));
        expect(content.length, `${source.id} ${entry.path}`).toBe(entry.size);
        if ('xxh128' in entry && entry.xxh128) expect(xxhash.XXHash128.hash(content).toString('hex')).toBe(entry.xxh128);
        if ('sha1' in entry && entry.sha1) expect(crypto.createHash('sha1').update(content).digest('hex')).toBe(entry.sha1);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(350);
    // What recover must list: each entry in its origin tree, none of them whole at its landing.
    expect(expected.recovery).toHaveLength(18);
    for (const entry of expected.recovery) {
      const source = config.sources.find((candidate) => candidate.id === entry.source)!;
      const origin = fs.readFileSync(path.join(scenario.dir, 'origins', entry.source, entry.path));
      const landed = path.join(source.root, entry.path);
      if (fs.existsSync(landed)) expect(fs.readFileSync(landed).equals(origin), `${entry.source} ${entry.path}`).toBe(false);
    }
  });

  it('writes an rclone lsjson listing whose hashes match the files that came from the cloud', () => {
    const m365 = loadConfig({ file: scenario.config, env: loadEnv({ RECONCILE_DATA_DIR: tempDir() }) }).sources.find((source) => source.id === 'm365-main-files')!;
    const items = z.array(lsjsonItem).parse(JSON.parse(fs.readFileSync(m365.manifestPath!, 'utf8')));
    const clean = new Set(expected.clean);
    let checked = 0;
    for (const item of items) {
      const file = path.join(m365.root, item.Path);
      if (item.IsDir) {
        expect(item.Size).toBe(-1);
        continue;
      }
      expect(item.Name).toBe(path.posix.basename(item.Path));
      if (!clean.has(path.relative(scenario.space, file))) continue;
      const content = fs.readFileSync(file);
      expect(item.Hashes?.sha1).toBe(crypto.createHash('sha1').update(content).digest('hex'));
      expect(fs.statSync(file).mtime.toISOString().replace('.000Z', '.000000000Z')).toBe(item.ModTime);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('plants planted-problem evidence the classifiers read: stubs, zero tails, corrupt bytes, logs', () => {
    const byLabel = (label: string) => expected.findings.find((finding) => finding.label === label)!;
    const stub = byLabel('placeholder:icloud-stub-passport-scan');
    const [plist] = parseBinaryPlist(fs.readFileSync(spaceFile(stub.paths[0]!))) as [Record<string, unknown>];
    expect(plist).toMatchObject({ NSURLNameKey: 'Passport scan.pdf', NSURLFileResourceTypeKey: 'NSURLFileResourceTypeRegular' });
    expect(plist.NSURLFileSizeKey).toBeGreaterThan(1_800_000);

    const zeroTail = fs.readFileSync(spaceFile(byLabel('partial:zero-filled-tail').paths[0]!));
    const complete = fs.readFileSync(spaceFile(byLabel('partial:zero-filled-tail').related[0]!));
    expect(zeroTail.length).toBe(complete.length);
    expect(zeroTail.subarray(-1024).every((byte) => byte === 0)).toBe(true);
    expect(zeroTail.subarray(0, 1024)).toEqual(complete.subarray(0, 1024));

    const truncated = fs.readFileSync(spaceFile(byLabel('partial:truncated-with-counterpart').paths[0]!));
    const whole = fs.readFileSync(spaceFile(byLabel('partial:truncated-with-counterpart').related[0]!));
    expect(truncated.length).toBeLessThan(whole.length);
    expect(whole.subarray(0, truncated.length)).toEqual(truncated);

    const pngs = byLabel('conflict:logo-image').paths.map((rel) => fs.readFileSync(spaceFile(rel)));
    for (const png of pngs) expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngs[0]!.equals(pngs[1]!)).toBe(false);

    const rsyncLog = fs.readFileSync(path.join(scenario.dir, 'logs/count-zero-dev.rsync.log'), 'utf8');
    for (const label of ['placeholder:edeadlk-not-copied', 'placeholder:edeadlk-zero-byte']) {
      expect(rsyncLog).toContain(`"${byLabel(label).origin[0]!.path}": Resource deadlock avoided (11)`);
    }
    expect(rsyncLog).toContain('file has vanished: ');
    const robocopyLog = fs.readFileSync(path.join(scenario.dir, 'logs/wintermute-mdt.robocopy.log'), 'utf8');
    expect(robocopyLog).toContain(`ERROR 5 (0x00000005) Copying File ${byLabel('missing:access-denied').origin[0]!.path}\r\nAccess is denied.`);
    const rcloneLines = fs.readFileSync(path.join(scenario.dir, 'logs/m365-main-files.rclone.jsonl'), 'utf8').trimEnd().split('\n');
    const rclone = rcloneLines.map((line) => JSON.parse(line) as { level: string; object?: string });
    expect(rclone.filter((line) => line.level === 'error' && line.object).map((line) => line.object)).toContain('Contracts/Lease 2025.pdf');

    const corrupt = byLabel('corrupt:sqlite-bit-rot');
    const { entries } = readManifest(path.join(scenario.dir, 'manifests/count-zero-dev.jsonl.gz'));
    const origin = entries.find((entry) => `mike/dev/${entry.path}` === corrupt.paths[0])!;
    const stat = fs.statSync(spaceFile(corrupt.paths[0]!), { bigint: true });
    expect([stat.size, stat.mtimeNs]).toEqual([BigInt(origin.size), BigInt(origin.mtimeNs)]);
    expect(xxhash.XXHash128.hash(fs.readFileSync(spaceFile(corrupt.paths[0]!))).toString('hex')).not.toBe(origin.xxh128);
  });

  it('names twins that differ only by case or Unicode normalisation, in one folder', () => {
    const nfc = expected.findings.find((finding) => finding.label === 'name-collision:nfc-nfd-twins')!;
    const [a, b] = nfc.paths;
    expect(a).not.toBe(b);
    expect(a!.normalize('NFC')).toBe(b!.normalize('NFC'));
    expect(fs.readdirSync(path.dirname(spaceFile(a!))).filter((name) => name.normalize('NFC') === 'café.txt')).toHaveLength(2);
  });

  it('closes the unreadable folder (mode 000) and lists it', () => {
    expect(expected.unreadable).toHaveLength(1);
    expect(fs.statSync(spaceFile(expected.unreadable[0]!)).mode & 0o777).toBe(0);
    expect(expected.findings.find((finding) => finding.kind === 'unreadable')?.needsUnprivilegedScan).toBe(true);
  });

  it('scores a findings report: misses, wrong kinds and flagged clean files', () => {
    const perfect: ReportedFinding[] = expected.findings.map((finding, index) => ({
      id: `f${index}`,
      kind: finding.kind,
      paths: finding.paths.length > 0 ? finding.paths.map((rel) => spaceFile(rel)) : finding.origin.map((ref) => ref.path),
    }));
    expect(compareFindings(expected, perfect, scenario.space)).toEqual({ matched: expected.findings.length, missed: [], cleanFlagged: [] });

    const [dropped, mislabelled] = [expected.findings[0]!, expected.findings.find((finding) => finding.kind === 'partial')!];
    const flawed = perfect
      .filter((_, index) => expected.findings[index] !== dropped)
      .map((finding) => (finding.paths[0] === spaceFile(mislabelled.paths[0]!) ? { ...finding, kind: 'conflict' } : finding));
    flawed.push({ id: 'extra', kind: 'artifact', paths: [spaceFile(expected.clean[0]!)] });
    const score = compareFindings(expected, flawed, scenario.space);
    expect(score.missed.map((miss) => [miss.label, miss.reportedAs])).toEqual([
      [dropped.label, []],
      [mislabelled.label, ['conflict']],
    ]);
    expect(score.cleanFlagged).toEqual([{ path: expected.clean[0], kind: 'artifact', id: 'extra' }]);
  });
});
