/** Proposals, operations, the plan document, decisions across rescans and the invariant checks. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan, checkInvariants, decide, findingFilterSql, listFindings, planHeader, undoDecisions, writePlanDocument, type Operation, type PlanProgress } from '../../engine/plan/index.ts';
import { configuredSources, scan } from '../../engine/scan/index.ts';
import { runCli, tempDatabase } from '../helpers.ts';
import { duplicateSpace, SpaceFixture, twoSources } from './fixture.ts';

interface ProposalRow {
  findingId: string;
  kind: string;
  action: string;
  rule: string;
  keeperPath: string | null;
  operations: Operation[];
}

function proposals(fixture: SpaceFixture): ProposalRow[] {
  return (
    fixture.db
      .prepare("SELECT p.findingId, f.kind, p.action, p.rule, p.keeperPath, p.operationsJson FROM Proposal p JOIN Finding f ON f.id = p.findingId WHERE f.status = 'open' ORDER BY f.id")
      .all() as (Omit<ProposalRow, 'operations'> & { operationsJson: string })[]
  ).map(({ operationsJson, ...row }) => ({ ...row, operations: JSON.parse(operationsJson) as Operation[] }));
}

function planDocument(fixture: SpaceFixture): { text: string; hash: string } {
  const result = buildPlan(fixture.db, fixture.config);
  let text = '';
  const header = planHeader(fixture.db, fixture.config, result.planRunId, result.configHash, result.summary);
  const hash = writePlanDocument(fixture.db, result.planRunId, header, (chunk) => (text += chunk));
  expect(hash).toBe(result.planHash);
  return { text, hash };
}


describe('plan', () => {
  it('archives extra copies and routes conflicts, with preconditions for apply, never a delete', async () => {
    const fixture = await duplicateSpace();
    planDocument(fixture);
    const [conflict, duplicate] = proposals(fixture);
    const space = fixture.space;
    expect(duplicate).toMatchObject({ kind: 'duplicate', action: 'archive-duplicate', rule: 'system-of-record', keeperPath: `${space}/mike/brand/logo.png` });
    expect(duplicate!.operations.map((operation) => [operation.op, operation.from, operation.to])).toEqual([
      ['move', `${space}/inbox/wm/brand/logo.png`, `${space}/archive/reconciliation/{run}/inbox/wm/brand/logo.png`],
      ['move', `${space}/inbox/wm/old/logo.png`, `${space}/archive/reconciliation/{run}/inbox/wm/old/logo.png`],
    ]);
    const stat = fs.statSync(`${space}/inbox/wm/brand/logo.png`, { bigint: true });
    expect(duplicate!.operations[0]!.expect).toEqual({ size: 10, mtimeNs: stat.mtimeNs.toString(), hash: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(new Set(duplicate!.operations.map((operation) => operation.id)).size).toBe(2);
    // The system-of-record rule keeps motoko's version in place; the other goes to the conflicts folder.
    expect(conflict).toMatchObject({ kind: 'conflict', action: 'route-to-conflicts', rule: 'system-of-record', keeperPath: `${space}/mike/docs/plan.txt` });
    expect(conflict!.operations.map((operation) => operation.to)).toEqual([`${space}/inbox/reconciliation/runs/{run}/conflicts/inbox/wm/docs/plan.txt`]);
    // Every displacing step names the copy that stays, as the plan saw it: apply re-checks it.
    const kept = fs.statSync(`${space}/mike/brand/logo.png`, { bigint: true });
    for (const operation of duplicate!.operations) {
      expect(operation.keeper).toEqual({ path: `${space}/mike/brand/logo.png`, size: 10, mtimeNs: kept.mtimeNs.toString(), hash: operation.expect.hash });
    }
    expect(conflict!.operations[0]!.keeper).toMatchObject({ path: `${space}/mike/docs/plan.txt`, hash: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('archives an empty stand-in relying on its complete copy, which apply re-checks', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    fixture.write('mike/docs/contract.pdf', 'the signed contract');
    fixture.write('inbox/wm/docs/contract.pdf', '');
    await fixture.scan();
    planDocument(fixture);
    const placeholder = proposals(fixture).find((row) => row.kind === 'placeholder')!;
    expect(placeholder.operations.map((operation) => operation.from)).toEqual([`${fixture.space}/inbox/wm/docs/contract.pdf`]);
    expect(placeholder.operations[0]!.keeper).toMatchObject({ path: `${fixture.space}/mike/docs/contract.pdf`, size: 19, hash: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('lets the configured priority order decide (newest first keeps the inbox version)', async () => {
    const fixture = await duplicateSpace();
    fixture.configure({ ...twoSources, priority: ['newest-mtime', 'system-of-record'] });
    planDocument(fixture);
    const conflict = proposals(fixture).find((row) => row.kind === 'conflict')!;
    expect(conflict).toMatchObject({ rule: 'newest-mtime', keeperPath: `${fixture.space}/inbox/wm/docs/plan.txt` });
  });

  it('carries names that are not UTF-8 as raw bytes through the operations', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    const rawName = Buffer.concat([Buffer.from('inbox/wm/~$odd-'), Buffer.from([0xff, 0xfe]), Buffer.from('.docx')]);
    fixture.write(rawName, 'Office owner file');
    await fixture.scan();
    planDocument(fixture);
    const artifact = proposals(fixture).find((row) => row.kind === 'artifact')!;
    expect(artifact.action).toBe('quarantine-artifact');
    const [operation] = artifact.operations;
    expect(Buffer.from(operation!.fromB64!, 'base64')).toEqual(Buffer.concat([Buffer.from(`${fixture.space}/`), rawName]));
    expect(Buffer.from(operation!.toB64!, 'base64')).toEqual(Buffer.concat([Buffer.from(`${fixture.space}/archive/reconciliation/{run}/`), rawName]));
    expect(operation!.expect.hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('applied for real: litter archived, copies kept by their bytes, a trash folder in one decision, forks beside their files', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    const space = fixture.space;
    fixture.write('mike/docs/.DS_Store', 'finder litter');
    fixture.write('mike/docs/Invoice.pdf', 'invoice, first version', 1_767_000_000);
    fixture.write('mike/docs/Invoice (1).pdf', 'invoice, second version with other bytes', 1_767_000_600);
    fixture.write('mike/docs/Contract - Copy.pdf', 'the only contract');
    fixture.write('mike/.Trashes/501/old.docx', 'deleted on the Mac, unique');
    fixture.write('mike/.Trashes/501/older.docx', 'deleted too');
    fixture.write('mike/brand/logo.png', 'logo bytes');
    fixture.write('inbox/wm/brand/logo.png', 'logo bytes');
    fixture.write('inbox/wm/brand/._logo.png', 'fork of the inbox logo');
    fixture.write('mike/docs/._gone.pdf', 'orphan fork');
    await fixture.scan();
    planDocument(fixture);
    const rows = proposals(fixture);
    const trash = rows.filter((row) => row.kind === 'trash');
    expect(trash).toHaveLength(1);
    expect(trash[0]).toMatchObject({ action: 'archive-trash' });
    expect(trash[0]!.operations.map((operation) => operation.to)).toEqual([
      `${space}/archive/reconciliation/{run}/mike/.Trashes/501/old.docx`,
      `${space}/archive/reconciliation/{run}/mike/.Trashes/501/older.docx`,
    ]);
    const duplicate = rows.find((row) => row.kind === 'duplicate')!;
    expect(duplicate.operations.map((operation) => operation.to)).toEqual([
      `${space}/archive/reconciliation/{run}/inbox/wm/brand/logo.png`,
      `${space}/archive/reconciliation/{run}/inbox/wm/brand/._logo.png`,
    ]);
    expect(rows.find((row) => row.kind === 'appledouble')).toMatchObject({ action: 'no-action', operations: [] });
    expect(rows.find((row) => row.kind === 'conflict')).toMatchObject({ action: 'route-to-conflicts' });

    const config = path.join(fixture.dir, 'reconcile.yaml');
    const cli = (args: string[]) => runCli(['--config', config, ...args], { dataDir: fixture.dataDir });
    expect(cli(['decide', '--approve-all']).status).toBe(0);
    const run = cli(['--json', 'run']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const runId = (JSON.parse(run.stdout) as { apply: { summary: { runId: string; failed: number } } }).apply.summary.runId;
    const archive = `${space}/archive/reconciliation/${runId}`;
    expect(fs.readFileSync(`${archive}/mike/docs/.DS_Store`, 'utf8')).toBe('finder litter');
    expect(fs.readFileSync(`${archive}/mike/.Trashes/501/old.docx`, 'utf8')).toBe('deleted on the Mac, unique');
    expect(fs.readFileSync(`${archive}/inbox/wm/brand/._logo.png`, 'utf8')).toBe('fork of the inbox logo');
    expect(fs.existsSync(`${space}/inbox/wm/brand/._logo.png`)).toBe(false);
    // Both invoice versions stay findable: one in place, the other in the run's conflicts folder.
    const conflicts = `${space}/inbox/reconciliation/runs/${runId}/conflicts/mike/docs`;
    const invoices = ['Invoice.pdf', 'Invoice (1).pdf'].map((name) => [fs.existsSync(`${space}/mike/docs/${name}`), fs.existsSync(`${conflicts}/${name}`)]);
    expect(invoices.map(([inPlace, routed]) => Number(inPlace) + Number(routed))).toEqual([1, 1]);
    expect(fs.readFileSync(`${space}/mike/docs/Contract - Copy.pdf`, 'utf8')).toBe('the only contract');
    expect(fs.readFileSync(`${space}/mike/docs/._gone.pdf`, 'utf8')).toBe('orphan fork');
    expect(fs.existsSync(`${archive}/mike/docs/Invoice (1).pdf`)).toBe(false);
  });

  it('persists more findings than one write batch while classification is still streaming', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    for (let index = 0; index < 2100; index++) fixture.write(`mike/litter/${String(index).padStart(4, '0')}/.DS_Store`, 'x');
    await fixture.scan();
    const seen: PlanProgress[] = [];
    const result = buildPlan(fixture.db, fixture.config, { onProgress: (progress) => seen.push(progress) });
    // One batch was written during the names pass, before classification ended.
    expect(seen.find((progress) => progress.findings > 0)).toMatchObject({ pass: 'names', findings: 2000 });
    expect(seen.at(-1)).toMatchObject({ pass: 'done', done: seen.at(-1)!.total, findings: 2100 });
    expect(seen.map((progress) => progress.done)).toEqual([...seen.map((progress) => progress.done)].sort((a, b) => a - b));
    expect(result.summary.findings).toEqual({ artifact: 2100 });
    expect(fixture.db.prepare("SELECT COUNT(*) FROM Finding WHERE status = 'open'").pluck().get()).toBe(2100);
  });

  it('is deterministic: the same catalog and config give the same bytes; a config change changes the hash', async () => {
    const fixture = await duplicateSpace();
    const first = planDocument(fixture);
    const second = planDocument(fixture);
    expect(second.text).toBe(first.text);
    expect(second.hash).toBe(first.hash);
    // A catalog rebuilt from scratch (other row ids, other scan ids) plans the same bytes.
    const rebuilt = tempDatabase().db;
    await scan(rebuilt, { sources: configuredSources(fixture.config), xattrs: false, hashWorkers: 1 });
    const again = buildPlan(rebuilt, fixture.config);
    expect(again.planHash).toBe(first.hash);
    fixture.configure({ ...twoSources, priority: ['shortest-path'] });
    expect(planDocument(fixture).hash).not.toBe(first.hash);
  });

  it('keeps decisions across rescans until a file changes; findings no longer produced are gone', async () => {
    const fixture = await duplicateSpace();
    buildPlan(fixture.db, fixture.config);
    const duplicate = [...listFindings(fixture.db, { kind: 'duplicate' })][0]!;
    expect(decide(fixture.db, { verdict: 'approved', actor: 'test', findingIds: [duplicate.id] }).decided).toBe(1);

    await fixture.scan();
    buildPlan(fixture.db, fixture.config);
    expect([...listFindings(fixture.db, { kind: 'duplicate' })][0]!.decision?.verdict).toBe('approved');

    // Another priority order picks another keeper (path order: the inbox copy): never approved.
    fixture.configure({ ...twoSources, priority: ['cleanest-name'] });
    buildPlan(fixture.db, fixture.config);
    expect([...listFindings(fixture.db, { kind: 'duplicate' })][0]!.decision).toBeNull();
    fixture.configure(twoSources);
    buildPlan(fixture.db, fixture.config);
    expect([...listFindings(fixture.db, { kind: 'duplicate' })][0]!.decision?.verdict).toBe('approved');

    fs.utimesSync(`${fixture.space}/inbox/wm/old/logo.png`, 1_800_000_000, 1_800_000_000);
    await fixture.scan();
    buildPlan(fixture.db, fixture.config);
    const changed = [...listFindings(fixture.db, { kind: 'duplicate' })][0]!;
    expect(changed.id).toBe(duplicate.id);
    expect(changed.decision).toBeNull();

    fs.rmSync(`${fixture.space}/inbox/wm/docs/plan.txt`);
    await fixture.scan();
    buildPlan(fixture.db, fixture.config);
    expect([...listFindings(fixture.db, { kind: 'conflict' })]).toEqual([]);
    expect(fixture.db.prepare("SELECT status FROM Finding WHERE kind = 'conflict'").pluck().get()).toBe('gone');
  });

  it('filters by folders whose names lie outside the BMP (prefixes measured in characters, as SQL substr counts)', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    fixture.write('mike/📷 photos/cat.jpg', 'cat');
    fixture.write('inbox/wm/📷 photos/cat.jpg', 'cat');
    await fixture.scan();
    buildPlan(fixture.db, fixture.config);
    const filter = { kind: 'duplicate', keeperUnder: `${fixture.space}/mike/📷 photos`, othersUnder: `${fixture.space}/inbox/wm/📷 photos` };
    const { where, params, from } = findingFilterSql(filter);
    expect(fixture.db.prepare(`SELECT count(*) FROM ${from} WHERE ${where}`).pluck().get(...params)).toBe(1);
    expect(decide(fixture.db, { verdict: 'approved', actor: 'test', filter }).decided).toBe(1);
  });

  it('decides in bulk by filter on the server, undoes, and audits both', async () => {
    const fixture = await duplicateSpace();
    fixture.write('mike/docs/.DS_Store', 'litter');
    await fixture.scan();
    buildPlan(fixture.db, fixture.config);
    const bulk = decide(fixture.db, { verdict: 'approved', actor: 'test', filter: { kind: 'duplicate', keeperUnder: `${fixture.space}/mike`, othersUnder: `${fixture.space}/inbox` } });
    expect(bulk.decided).toBe(1);
    expect(decide(fixture.db, { verdict: 'approved', actor: 'test', filter: { othersUnder: `${fixture.space}/elsewhere`, kind: 'conflict' } }).decided).toBe(0);
    const rest = decide(fixture.db, { verdict: 'rejected', actor: 'test', filter: {} });
    expect(rest.decided).toBe(2); // the conflict and the artifact; the approved duplicate stays approved
    expect(() => decide(fixture.db, { verdict: 'approved', actor: 'test', findingIds: ['duplicate-0000'] })).toThrow(/no open finding duplicate-0000/);
    expect(undoDecisions(fixture.db, { findingIds: bulk.findingIds, actor: 'test' }).undone).toBe(1);
    const actions = fixture.db.prepare('SELECT action FROM AuditEvent ORDER BY id').pluck().all();
    expect(actions).toEqual(['decision.approved', 'decision.approved', 'decision.rejected', 'decision.undone']);
  });

  it('names the origin entries to fetch on each needs-redownload proposal, with the reason', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [{ id: 'm365', kind: 'rclone', class: 'cloud', landing: 'mike/_MAIN_FILES', origin: 'm365:_MAIN_FILES', remote: 'm365:' }] });
    fixture.write('mike/_MAIN_FILES/here.txt', 'here');
    await fixture.scan();
    fixture.origin('m365', [{ relPath: 'here.txt', size: 4 }, { relPath: 'Clients/gone.docx', size: 10 }, { relPath: 'a/b.pdf', size: 5 }], 'm365:_MAIN_FILES');
    const document = JSON.parse(planDocument(fixture).text) as { items: { proposal: { action: string; redownload: unknown[] } }[]; summary: { completeness: unknown[] } };
    const fetch = document.items.filter((item) => item.proposal.action === 'needs-redownload').flatMap((item) => item.proposal.redownload);
    expect(fetch).toEqual([
      { source: 'm365', relPath: 'Clients/gone.docx', reason: 'missing' },
      { source: 'm365', relPath: 'a/b.pdf', reason: 'missing' },
    ]);
    const cli = runCli(['--config', path.join(fixture.dir, 'reconcile.yaml'), 'plan'], { dataDir: fixture.dataDir });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('2 findings need files from their origins: reconcile recover lists them per source');
    // Progress as with scan: JSON lines on stderr with --json (the last one complete), nothing with --quiet.
    // (--rebuild: the plan above would be reused, with no classification to report.)
    const json = runCli(['--config', path.join(fixture.dir, 'reconcile.yaml'), '--json', 'plan', '--rebuild'], { dataDir: fixture.dataDir });
    const events = json.stderr.trim().split('\n').map((line) => JSON.parse(line) as { event: string; job: string; done: number; total: number });
    expect(events.pop()).toMatchObject({ event: 'plan', reused: false });
    expect(events.every((event) => event.event === 'progress' && event.job === 'plan')).toBe(true);
    expect(events.at(-1)).toMatchObject({ phase: 'done', done: events.at(-1)!.total, findings: 2 });
    expect(runCli(['--config', path.join(fixture.dir, 'reconcile.yaml'), '--quiet', 'plan'], { dataDir: fixture.dataDir }).stderr).toBe('');
    expect(document.summary.completeness).toEqual([
      { source: 'm365', files: 3, bytes: 19, present: { files: 1, bytes: 4 }, missing: { files: 2, bytes: 15 }, placeholder: { files: 0, bytes: 0 }, partial: { files: 0, bytes: 0 }, unreadable: { files: 0, bytes: 0 }, weak: { files: 1, bytes: 4 } },
    ]);
  });
});

describe('check-invariants', () => {
  it('reports duplicate working trees, sync loops and planned writes outside the space', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ ...twoSources, layout: { mappings: [{ from: 'inbox/wm', to: 'inbox/wm/sub' }] } });
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      fixture.write(`mike/projects/${name}`, `content ${name}`);
      fixture.write(`inbox/wm/projects/${name}`, `content ${name}`);
    }
    await fixture.scan();
    buildPlan(fixture.db, fixture.config);
    fixture.db
      .prepare("UPDATE Proposal SET operationsJson = json_array(json_object('id', 'op-x', 'op', 'move', 'from', ?, 'to', '/etc/passwd', 'expect', json_object())) WHERE findingId = (SELECT MIN(id) FROM Finding)")
      .run(`${fixture.space}/mike/projects/a.txt`);
    const result = checkInvariants(fixture.db, fixture.config);
    expect(result.ok).toBe(false);
    expect(result.violations.map((violation) => violation.invariant).sort()).toEqual(['duplicate-working-trees', 'sync-loop', 'write-outside-space']);
    expect(result.violations.find((violation) => violation.invariant === 'duplicate-working-trees')!.details).toEqual({
      trees: [`${fixture.space}/inbox/wm`, `${fixture.space}/mike`],
      sharedFiles: 3,
    });
  });

  it('exits non-zero from the CLI when violated, zero when the invariants hold', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    fixture.write('mike/a.txt', 'a');
    const config = path.join(fixture.dir, 'reconcile.yaml');
    expect(runCli(['--config', config, 'scan'], { dataDir: fixture.dataDir }).status).toBe(0);
    const ok = runCli(['--config', config, '--json', 'check-invariants'], { dataDir: fixture.dataDir });
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, violations: [] });
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8') + 'layout:\n  mappings: [{ from: inbox/wm, to: inbox/wm }]\n');
    const bad = runCli(['--config', config, 'check-invariants'], { dataDir: fixture.dataDir });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/sync-loop: mapping inbox\/wm → inbox\/wm maps a folder into itself/);
  });
});

describe('reconcile decide', () => {
  it('records the CLI user as the decider and refuses contradictory flags', async () => {
    const fixture = await duplicateSpace();
    const config = path.join(fixture.dir, 'reconcile.yaml');
    const findings = runCli(['--config', config, '--json', 'findings', '--kind', 'duplicate'], { dataDir: fixture.dataDir });
    expect(findings.status, findings.stderr).toBe(0);
    const [duplicate] = (JSON.parse(findings.stdout) as { findings: { id: string; size: number; hash: string }[] }).findings;
    expect(duplicate).toMatchObject({ size: 10, hash: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const approved = runCli(['--config', config, '--json', 'decide', '--approve', duplicate!.id], { dataDir: fixture.dataDir });
    expect(approved.status, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ verdict: 'approved', decided: 1 });
    fixture.db.pragma('wal_checkpoint(PASSIVE)');
    expect(fixture.db.prepare('SELECT decidedBy FROM Decision').pluck().get()).toBe(`cli:${os.userInfo().username}`);
    const empty = runCli(['--config', config, 'plan'], { dataDir: `${fixture.dataDir}-empty` });
    expect(empty.status).not.toBe(0);
    expect(empty.stderr).toMatch(/the catalog is empty .*run reconcile scan first/);
    const both = runCli(['--config', config, 'decide', '--approve', 'x', '--reject', 'y'], { dataDir: fixture.dataDir });
    expect(both.status).not.toBe(0);
    expect(both.stderr).toMatch(/exactly one of/);
    const all = runCli(['--config', config, '--json', 'decide', '--approve-all', '--kind', 'conflict'], { dataDir: fixture.dataDir });
    expect(JSON.parse(all.stdout)).toMatchObject({ decided: 1 });
  });
});
