/** The owner's documents kept from here: the communication-log entry put in his log, the guardrails section for his plan. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendCommsLog, buildReport, commsLogId, renderGuardrails, type Report } from '../../engine/report/index.ts';
import { readFrontMatter } from '../docs/front-matter.ts';
import { tempDir } from '../helpers.ts';
import { SpaceFixture } from '../plan/fixture.ts';

async function report(): Promise<Report> {
  const fixture = new SpaceFixture();
  fixture.configure({ sources: [{ id: 'mac', host: 'count-zero', kind: 'rsync', class: 'local', origin: '/Users/miket/dev/', landing: 'mike/dev' }] });
  fixture.write('mike/dev/a.txt', 'a');
  await fixture.scan();
  return buildReport(fixture.db, fixture.config);
}

describe('report --format comms-log --append', () => {
  it('creates the log with the front matter the standard requires', async () => {
    const file = path.join(tempDir(), 'docs/COMMUNICATION_LOG.md');
    const result = appendCommsLog(file, await report(), new Date('2026-12-03T10:00:00Z'));
    expect(result).toMatchObject({ created: true, replaced: false });
    const text = fs.readFileSync(file, 'utf8');
    const front = readFrontMatter(text);
    expect(front.ok, front.ok ? '' : front.problem).toBe(true);
    if (!front.ok) return;
    expect(front.data).toMatchObject({ document_title: 'Communication log', last_updated: '2026-12-03', status: 'active', linked_communications: [result.id] });
    expect(front.body).toContain(`{#${result.id}}`);
  });

  it('puts the entry before the newest one, keeps the owner\'s keys, and replaces it when the run is reported again', async () => {
    const built = await report();
    const file = path.join(tempDir(), 'COMMUNICATION_LOG.md');
    const older = '## 2026-11-23 — Docs published {#2026-11-23-docs}\n\n- **Id:** `2026-11-23-docs`\n';
    fs.writeFileSync(
      file,
      `---\ndocument_title: Mike's communication log\nauthor: Mike\nlast_updated: 2026-11-23\nstatus: active\nrelated_initiatives: [home-lab]\nlinked_communications: [2026-11-23-docs]\nowner_note: keep me\n---\n\n# Communication log\n\n${older}`,
    );
    const first = appendCommsLog(file, built, new Date('2026-12-03T10:00:00Z'));
    expect(first).toMatchObject({ created: false, replaced: false, id: commsLogId(built) });
    const again = appendCommsLog(file, built, new Date('2026-12-04T10:00:00Z'));
    expect(again.replaced).toBe(true);
    const text = fs.readFileSync(file, 'utf8');
    const front = readFrontMatter(text);
    if (!front.ok) throw new Error(front.problem);
    expect(front.data).toMatchObject({
      document_title: "Mike's communication log",
      author: 'Mike',
      last_updated: '2026-12-04',
      related_initiatives: ['home-lab', 'space-consolidation-2026'],
      linked_communications: [first.id, '2026-11-23-docs'],
      owner_note: 'keep me',
    });
    expect(text.split(`{#${first.id}}`)).toHaveLength(2);
    expect(text.indexOf(`{#${first.id}}`)).toBeLessThan(text.indexOf('{#2026-11-23-docs}'));
    expect(text).toContain('# Communication log\n\n## ');
    expect(text.endsWith(older)).toBe(true);
  });

  it('refuses a log whose front matter is not YAML, and leaves it as it was', async () => {
    const file = path.join(tempDir(), 'COMMUNICATION_LOG.md');
    fs.writeFileSync(file, '---\nkey: [unclosed\n---\n# Log\n');
    const built = await report();
    expect(() => appendCommsLog(file, built)).toThrow(/front matter is not valid YAML .*nothing was written/);
    expect(fs.readFileSync(file, 'utf8')).toBe('---\nkey: [unclosed\n---\n# Log\n');
  });
});

describe('report --format guardrails', () => {
  it('is a section for a migration plan: headings one level down, no links into this repository, this installation named', async () => {
    const text = renderGuardrails(await report());
    expect(text.startsWith('## Guardrails: what Reconcile will and will not do\n')).toBe(true);
    expect(text).toContain('\n### Reconcile will\n');
    expect(text).toContain('\n### This installation\n');
    expect(text).toContain('`inbox/recovery/<source>/`');
    expect(text).toContain('`mac` (rsync from count-zero, lands in `mike/dev`)');
    expect(text).not.toMatch(/\]\((?!https?:)/);
    expect(text).not.toMatch(/^---/);
  });
});
