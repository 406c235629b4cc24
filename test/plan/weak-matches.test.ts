// ADR 0003: an origin entry matched by size + mtime only (no hash in the inventory) is weaker
// evidence, counted per source and said so in the plan summary and every report format.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../../engine/classify/index.ts';
import { runCli } from '../helpers.ts';
import { macWeak, weakMatchSpace } from './weak-matches.fixture.ts';

describe('matches without an inventory hash', () => {
  it('are counted per source, apart from hash-confirmed and missing entries', async () => {
    const fixture = await weakMatchSpace();
    const { completeness } = classify(fixture.db, fixture.config, () => {});
    expect(completeness.find((source) => source.source === 'mac')).toMatchObject({ files: 4, present: { files: 3 }, missing: { files: 1 }, weak: macWeak });
    expect(completeness.find((source) => source.source === 'm365')).toMatchObject({ files: 1, present: { files: 1 }, weak: { files: 0, bytes: 0 } });
  });

  it('are shown by reconcile plan and in the md, html, csv and json report', async () => {
    const fixture = await weakMatchSpace();
    const cli = (args: string[]) => {
      const result = runCli(['--config', path.join(fixture.dir, 'reconcile.yaml'), ...args], { dataDir: fixture.dataDir });
      expect(result.status, result.stderr).toBe(0);
      return result.stdout;
    };
    expect(cli(['plan'])).toContain('mac: 3/4 present (75.0%, 2 by size + mtime only: no hash in the inventory), 1 missing');

    const markdown = cli(['report', '--format', 'md']);
    expect(markdown).toContain('| Source | Files | Present | By size + mtime only | Missing | Placeholder | Partial |');
    expect(markdown).toMatch(/\| mac \| 4 \([^)]*\) \| 3 \(75\.0%\) \| 2 \| 1 \(25\.0%\) \| 0 \| 0 \|/);
    expect(markdown).toMatch(/\| m365 \| 1 \([^)]*\) \| 1 \(100\.0%\) \| 0 \|/);
    expect(markdown).toContain('By size + mtime only: the origin inventory has no hash for these files');
    // ADR 0003: completeness is as good as the inventories, so the report names them with their dates.
    expect(markdown).toContain('Measured against these origin inventories (completeness is as good as their dates):');
    expect(markdown).toMatch(/^- mac: [a-z-]+ \S+.*, 4 entries, imported \d{4}-\d\d-\d\d/m);
    expect(markdown).toMatch(/^- m365: [a-z-]+ \S+.*, 1 entries, imported \d{4}-\d\d-\d\d/m);

    const html = cli(['report', '--format', 'html']);
    expect(html).toContain('<th>By size + mtime only</th>');
    expect(html).toContain('<tr><td>mac</td><td>4</td><td>3</td><td>2</td><td>1</td>');
    expect(html).toContain('their content was not compared');

    const csv = cli(['report', '--format', 'csv']).split('\n');
    expect(csv).toContain('completeness,mac,,"4 files: 3 present (2 by size + mtime only, no hash in the inventory), 1 missing, 0 placeholder, 0 partial, 0 unreadable",,,,');
    expect(csv.some((line) => line.startsWith('completeness,m365,,"1 files: 1 present (0 by size + mtime only'))).toBe(true);
    expect(csv.filter((line) => line.startsWith('inventory,')).map((line) => line.split(',')[1])).toEqual(['m365', 'mac']);

    const json = JSON.parse(cli(['--json', 'report'])) as { completeness: { source: string; weak: unknown }[] };
    expect(json.completeness.map(({ source, weak }) => ({ source, weak }))).toEqual([
      { source: 'm365', weak: { files: 0, bytes: 0 } },
      { source: 'mac', weak: macWeak },
    ]);
  });
});
