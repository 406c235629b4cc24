// The audit report through the real CLI after a real apply: every format, the platform's front
// matter, the decider of each conflict, and the communication-log entry.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { runCli, tempDir } from '../helpers.ts';
import { readFrontMatter } from '../docs/front-matter.ts';
import { buildFixture } from './fixture.ts';

const fixture = buildFixture(
  tempDir('reconcile-report-'),
  [
    { rel: 'mike/dup.txt', content: Buffer.from('same') },
    { rel: 'mike/kept/dup.txt', content: Buffer.from('same') },
    { rel: 'mike/_MAIN_FILES/plan.docx', content: Buffer.from('version from the Mac') },
  ],
  [
    [{ op: 'move', from: 'mike/dup.txt', to: 'archive/reconciliation/{run}/mike/dup.txt' }],
    [{ op: 'move', from: 'mike/_MAIN_FILES/plan.docx', to: 'inbox/reconciliation/runs/{run}/conflicts/mike/_MAIN_FILES/plan.docx' }],
  ],
);
// The second finding is a conflict a person decided.
fixture.db.prepare(`UPDATE Finding SET kind = 'conflict', rule = 'newest-mtime', evidenceJson = '{"versions":2,"files":[]}' WHERE id = 'f00001'`).run();
fixture.db.prepare(`UPDATE Proposal SET action = 'route-to-conflicts' WHERE findingId = 'f00001'`).run();
fixture.db.prepare(`UPDATE Decision SET kind = 'conflict', decidedBy = 'mike@example.com' WHERE findingId = 'f00001'`).run();
afterAll(() => fixture.close());

const cli = (args: string[]) => runCli(['--config', fixture.configFile, ...args], { dataDir: fixture.dataDir });

describe('reconcile report', () => {
  it('reports a run in every format', () => {
    const applied = cli(['--json', 'apply']);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    const runId = JSON.parse(applied.stdout).run.id as string;

    const markdown = cli(['report', '--format', 'md']);
    expect(markdown.status, markdown.stderr).toBe(0);
    const parsed = readFrontMatter(markdown.stdout);
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(parsed.data).toMatchObject({ document_title: `Reconciliation report — run ${runId}`, status: 'active', related_initiatives: ['space-consolidation-2026'] });
    const entryId = parsed.data.linked_communications[0]!;
    expect(entryId).toMatch(/^\d{4}-\d{2}-\d{2}-reconciliation-/);
    expect(parsed.body).toContain('Resolved in this run: 1, reclaiming 4 B');
    expect(parsed.body).toMatch(/approved by mike@example\.com on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(parsed.body).toContain(`Outcome: **complete** (run \`${runId}\``);
    expect(parsed.body).toContain(`{#${entryId}}`);

    const log = cli(['report', '--run', runId, '--format', 'comms-log']);
    expect(log.stdout).toMatch(new RegExp(`^## \\d{4}-\\d{2}-\\d{2} — Reconciliation run ${runId}: 2 of 2 operations done, verification complete \\{#${entryId}\\}`));
    expect(log.stdout).toContain(`- **Id:** \`${entryId}\``);

    const csv = cli(['report', '--format', 'csv']).stdout.trim().split('\n');
    expect(csv[0]).toBe('section,finding,path,rule,action,verdict,decided_by,decided_at');
    expect(csv.some((line) => line.startsWith('conflict,f00001,') && line.includes('mike@example.com'))).toBe(true);

    const html = cli(['report', '--format', 'html']).stdout;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('mike@example.com');

    const json = JSON.parse(cli(['--json', 'report']).stdout);
    expect(json).toMatchObject({ run: { id: runId, doneCount: 2 }, duplicates: { resolvedInRun: 1, bytesReclaimed: 4 }, verification: { outcome: 'complete', runId } });
  });

  it('writes to a file and refuses an unknown format or run clearly', () => {
    const file = `${fixture.root}/report.md`;
    expect(cli(['report', '--output', file]).status).toBe(0);
    expect(readFrontMatter(fs.readFileSync(file, 'utf8')).ok).toBe(true);
    const bad = cli(['report', '--format', 'pdf']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--format/);
    const missing = cli(['report', '--run', 'nope']);
    expect(missing.stderr).toContain('no apply run nope');
  });
});
