/**
 * The owner-scale benchmark tree holds what it says it holds: scanned and classified by the real
 * CLI, every planted problem kind is found as often as the generator planted it, its four origin
 * inventories import in full, and a second call with the same parameters reuses the tree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateOwnerTree, type OwnerTree } from '../../bench/owner-tree.ts';
import { runCli, tempDir } from '../helpers.ts';

describe('owner-scale benchmark tree', () => {
  let tree: OwnerTree;
  let dataDir: string;
  let scan: { entriesSeen: number; inventories: Record<string, { inventory?: { entries: number } }> };
  let counts: Record<string, number>;

  beforeAll(async () => {
    tree = await generateOwnerTree({ dir: path.join(tempDir('reconcile-owner-tree-'), 'tree'), files: 4000, meanBytes: 2048, workers: 2 });
    dataDir = tempDir('reconcile-owner-tree-data-');
    const scanned = runCli(['--config', tree.config, '--json', '--quiet', 'scan'], { dataDir });
    expect(scanned.status, scanned.stderr).toBe(0);
    scan = JSON.parse(scanned.stdout);
    const findings = runCli(['--config', tree.config, '--json', '--quiet', 'findings'], { dataDir });
    expect(findings.status, findings.stderr).toBe(0);
    counts = {};
    for (const finding of (JSON.parse(findings.stdout) as { findings: { kind: string }[] }).findings) counts[finding.kind] = (counts[finding.kind] ?? 0) + 1;
  }, 300_000);

  it('plants every kind of problem, at a few percent', () => {
    for (const kind of ['duplicate', 'conflict', 'placeholder', 'partial', 'artifact', 'missing'] as const) expect(tree.planted[kind], kind).toBeGreaterThan(0);
    expect(tree.planted.duplicate / tree.files).toBeLessThan(0.1);
    expect(tree.files).toBeGreaterThanOrEqual(4000);
  });

  it('is found as planted, kind by kind', () => {
    // A duplicate finding is a group; every other kind is a finding per planted problem.
    const planted = Object.entries({ ...tree.planted, duplicate: tree.planted.duplicateGroups, duplicateGroups: 0 }).filter(([, count]) => count > 0);
    const { staged: _staged, ...found } = counts;
    expect(found).toEqual(Object.fromEntries(planted));
  });

  it('lands every file in the space and every origin entry in its inventory', () => {
    const files = scan.entriesSeen;
    expect(files).toBeGreaterThan(tree.files); // folders too
    for (const [sourceId, result] of Object.entries(scan.inventories)) {
      const key = { 'count-zero-dev': 'dev', 'm365-main-files': 'm365', 'wintermute-mdt': 'wintermute', 'count-zero-icloud': 'icloud' }[sourceId] as keyof OwnerTree['originEntries'];
      // Files, plus the folders above them.
      expect(result.inventory!.entries, sourceId).toBeGreaterThan(tree.originEntries[key]);
    }
  });

  it('is reused when asked for again with the same parameters', async () => {
    const marker = path.join(tree.space, 'mike/dev');
    const before = fs.statSync(marker).mtimeMs;
    const again = await generateOwnerTree({ dir: tree.dir, files: 4000, meanBytes: 2048, workers: 2 });
    expect(again.files).toBe(tree.files);
    expect(fs.statSync(marker).mtimeMs).toBe(before);
  });
});
