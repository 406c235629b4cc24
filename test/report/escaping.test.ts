// File names in the report come from other people's machines. Through every format, a hostile name
// stays a name: no HTML element in the Markdown (it is meant to be filed under docs/ and rendered),
// no table row or code block it can end, no spreadsheet formula in the CSV.
import { describe, expect, it } from 'vitest';
import type { Report, ReportItem, ReportList } from '../../engine/report/build.ts';
import { outsideCode, parseCsv } from './formats.ts';
import { csvCell, markdownBlock, markdownCode, markdownText, renderCsv, renderHtml, renderMarkdown, renderReport } from '../../engine/report/render.ts';

const tag = '<img src=x onerror=alert(1)>';
const hostileNames = [
  `/space/mike/a${tag}.txt`,
  '/space/mike/two\nlines | and a pipe.txt',
  '/space/mike/fence\n```\n<script>alert(2)</script>\n```.txt',
  '/space/mike/[click](javascript:alert(3)) *bold* `code`.txt',
];
const formulas = ['=HYPERLINK("https://evil.example","x")', '+1+2', '-1+2', '@SUM(A1)', '\t=1', '\r=1'];

const item = (paths: string[], overrides: Partial<ReportItem> = {}): ReportItem => ({
  findingId: 'partial-0123456789abcdef',
  kind: 'partial',
  paths,
  rule: 'browser-part',
  action: 'quarantine',
  verdict: 'approved',
  decidedBy: '=cmd|calc@example.test',
  decidedAt: '2026-12-03T10:00:00.000Z',
  ...overrides,
});

/** The report's lists as buildReport streams them, from arrays. */
const list = <T>(items: T[]): ReportList<T> => ({ count: items.length, items: () => items.values() });
const text = (pieces: Iterable<string>) => [...pieces].join('');

const report: Report = {
  generatedAt: '2026-12-03T10:00:00.000Z',
  generator: 'reconcile 0.1.0',
  space: '/space',
  setup: { layout: { canonical: 'mike', archives: [], devices: 'devices', inbox: 'inbox', journal: 'journal', archive: 'archive', conflicts: 'conflicts', recovery: 'inbox/recovery', mappings: [] }, sources: [], priority: [] },
  run: null,
  plan: null,
  completeness: [],
  inventories: [{ source: 'mac', format: 'reconcile-manifest', file: `/flux/manifests/x${tag}.jsonl.gz`, host: `host${tag}`, importedAt: '2026-12-01T00:00:00.000Z', entries: 3 }],
  // A transfer log quotes file names as it found them.
  importWarnings: [{ source: 'wintermute', file: `/flux/logs/robo${tag}.log`, line: 12, kind: 'unmatched', message: `ERROR 5 copying ${tag}\nnext line` }],
  duplicates: { resolvedInRun: 0, bytesReclaimed: 0, open: 0, openReclaimableBytes: 0 },
  conflicts: list([item(hostileNames)]),
  placeholders: { outstanding: list([item([`/space/mike/.${tag}.icloud`])]) },
  recovery: [
    {
      source: 'm365',
      kind: 'rclone',
      outstanding: formulas.length + 3,
      fetched: 0,
      placed: 0,
      waived: 0,
      entries: [...formulas, 'fine.txt', 'a\n```\nb', 'ticks ```` inside'].map((path) => ({ path, reason: 'missing', remedy: `first ${tag}` })),
      command: `rclone copy m365:x ${tag}`,
      script: null,
    },
  ],
  partials: list([item(hostileNames)]),
  corrupt: list([]),
  unreadable: list([]),
  flagged: list([{ id: 'op-1', path: `/space/mike/\`${tag}\``, reason: `precondition${tag}` }]),
  invariants: { ok: false, violations: [{ invariant: 'write-outside-space', message: `writes ${tag}`, details: {} }] },
  verification: null,
};

describe('Markdown report', () => {
  const markdown = text(renderMarkdown(report));

  it('has no HTML element but its own line breaks, wherever a name lands', () => {
    expect(outsideCode(markdown).match(/<(?!br>)[a-z/!]/gi) ?? []).toEqual([]);
    expect(markdown).toContain('a&lt;img src=x onerror=alert(1)&gt;.txt');
  });

  it('keeps one table row per item: a newline or a pipe in a name ends no row or cell', () => {
    const rows = markdown.split('\n').filter((line) => line.startsWith('| /space/'));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(5);
    expect(markdown).toContain('two\\nlines \\| and a pipe.txt');
    expect(markdown).toContain('\\[click\\](javascript:alert(3)) \\*bold\\* \\`code\\`.txt');
  });

  it('lists what to fetch one entry a line, each name in a code span it cannot close', () => {
    const start = markdown.indexOf('To fetch from `m365`');
    const lines = markdown.slice(start).split('\n').slice(2, 2 + formulas.length + 3);
    expect(lines.at(-2)).toBe('- missing: ````a\\n```\\nb```` — first: first &lt;img src=x onerror=alert(1)&gt;');
    expect(lines.at(-1)).toBe('- missing: `````ticks ```` inside````` — first: first &lt;img src=x onerror=alert(1)&gt;');
    expect(lines.every((line) => line.startsWith('- missing: `'))).toBe(true);
  });

  it('keeps flagged paths in code spans that their backticks cannot close', () => {
    expect(markdown).toContain(`- precondition&lt;img src=x onerror=alert(1)&gt;: \`\` /space/mike/\`${tag}\` \`\``);
  });

  it('has helpers that behave on their own', () => {
    expect(markdownText('a<b>&c|d\ne')).toBe('a&lt;b&gt;&amp;c\\|d\\ne');
    expect(markdownCode('plain')).toBe('`plain`');
    expect(markdownCode('a``b')).toBe('```a``b```');
    expect(markdownCode('`edge')).toBe('`` `edge ``');
    expect(markdownBlock(['x'])).toEqual(['```', 'x', '```']);
  });
});

describe('CSV report', () => {
  it('never lets a cell start a spreadsheet formula', () => {
    for (const formula of formulas) expect(csvCell(formula), JSON.stringify(formula)).toMatch(/^"?'/);
    expect(csvCell('=HYPERLINK("https://evil.example","x")')).toBe(`"'=HYPERLINK(""https://evil.example"",""x"")"`);
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
  });

  it('quotes every formula-looking name and decider in the whole export', () => {
    const csv = text(renderCsv(report));
    const cells = parseCsv(csv).flat();
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    expect(cells).toContain("'=HYPERLINK(\"https://evil.example\",\"x\")");
    expect(cells).toContain("'=cmd|calc@example.test");
  });
});

describe('HTML and JSON reports', () => {
  it('escape every name', () => {
    expect(text(renderHtml(report))).not.toContain(tag);
    expect(text(renderHtml(report))).not.toContain('<script>');
    expect(JSON.parse(text(renderReport(report, 'json'))).partials[0].paths).toEqual(hostileNames);
  });
});
