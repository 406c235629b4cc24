/** Waivers: an entry the owner decides not to recover leaves the lists, with who and why, in the audit trail; verify counts it as accounted for. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../engine/db/index.ts';
import { runCli } from '../helpers.ts';
import { SpaceFixture } from '../plan/fixture.ts';

describe('reconcile waive', () => {
  it('takes an entry off the recovery list with its reason and decider, audits it, and revokes', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [{ id: 'mac', host: 'count-zero', kind: 'rsync', class: 'local', origin: '/Users/miket/dev/', landing: 'mike/dev' }] });
    fixture.write('mike/dev/here.txt', 'here');
    await fixture.scan();
    fixture.origin('mac', [{ relPath: 'here.txt', size: 4 }, { relPath: 'old/draft v1.doc', size: 10 }, { relPath: 'keep.pdf', size: 5 }], '/Users/miket/dev');
    fixture.db.close();
    const cli = (...args: string[]) => runCli(['--config', path.join(fixture.dir, 'reconcile.yaml'), ...args], { dataDir: fixture.dataDir });
    const recover = () => JSON.parse(cli('--json', 'recover').stdout) as { sources: { files: string[]; waived: { path: string; waiver: string; decidedBy: string }[]; counts: { outstanding: number; waived: number } }[] };
    expect(recover().sources[0]!.files).toEqual(['keep.pdf', 'old/draft v1.doc']);

    const refused = cli('waive', '--source', 'mac', '--reason', 'old draft', 'old/draft v1.doc', 'no/such.file');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('not in the latest origin inventory of mac: "no/such.file"; nothing was waived');
    expect(cli('waive', '--source', 'mac', 'old/draft v1.doc').stderr).toContain('a waiver needs a reason');

    const waived = cli('--json', 'waive', '--source', 'mac', '--reason', 'an old draft nobody needs', '--by', 'mike@example.com', 'old/draft v1.doc');
    expect(waived.status, waived.stderr).toBe(0);
    expect(JSON.parse(waived.stdout)).toMatchObject({ waived: [{ source: 'mac', relPath: 'old/draft v1.doc', reason: 'an old draft nobody needs', decidedBy: 'mike@example.com' }] });
    const after = recover().sources[0]!;
    expect(after.files).toEqual(['keep.pdf']);
    expect(after.waived).toEqual([expect.objectContaining({ path: 'old/draft v1.doc', waiver: 'an old draft nobody needs', decidedBy: 'mike@example.com' })]);
    expect(after.counts).toMatchObject({ outstanding: 1, waived: 1 });
    const plan = JSON.parse(cli('--json', 'plan').stdout) as { items: { finding: { kind: string; paths: string[] }; proposal: { action: string; reason: string } }[] };
    const draft = plan.items.find((item) => item.finding.paths[0]!.endsWith('draft v1.doc'))!;
    expect(draft.proposal).toMatchObject({ action: 'no-action', reason: expect.stringContaining('waived by mike@example.com: an old draft nobody needs') });

    // verify: the waived entry is accounted for and listed; with every lacking entry waived, complete.
    const verified = cli('--json', 'verify');
    expect(verified.status, verified.stderr).toBe(3);
    const origins = (JSON.parse(verified.stdout) as { origins: { outstanding: { files: number }; waived: { files: number; bytes: number }; sources: { waivedSample: unknown[] }[] } }).origins;
    expect(origins).toMatchObject({ outstanding: { files: 1 }, waived: { files: 1, bytes: 10 } });
    expect(origins.sources[0]!.waivedSample).toEqual([expect.objectContaining({ relPath: 'old/draft v1.doc', waiver: 'an old draft nobody needs', decidedBy: 'mike@example.com' })]);
    expect(cli('waive', '--source', 'mac', '--reason', 'the origin lost it', '--by', 'mike@example.com', 'keep.pdf').status).toBe(0);
    const complete = cli('verify');
    expect(complete.status, complete.stdout + complete.stderr).toBe(0);
    expect(complete.stdout.split('\n')[0]).toBe('complete: the space: every origin entry accounted for (2 waived), every content conserved');
    expect(complete.stdout).toMatch(/old\/draft v1\.doc — waived by mike@example\.com on \d{4}-\d{2}-\d{2}: an old draft nobody needs/);
    expect(cli('waive', '--revoke', '--source', 'mac', 'keep.pdf').status).toBe(0);
    expect(cli('verify').status).toBe(3);

    expect(JSON.parse(cli('--json', 'waive', '--list').stdout).waivers).toHaveLength(1);
    expect(cli('waive', '--revoke', '--source', 'mac', 'old/draft v1.doc').status).toBe(0);
    expect(recover().sources[0]!.files).toEqual(['keep.pdf', 'old/draft v1.doc']);
    expect(JSON.parse(cli('--json', 'waive', '--list', '--all').stdout).waivers).toEqual([
      expect.objectContaining({ relPath: 'keep.pdf', revokedBy: expect.stringMatching(/^cli:/) }),
      expect.objectContaining({ relPath: 'old/draft v1.doc', revokedBy: expect.stringMatching(/^cli:/) }),
    ]);

    const db = openDatabase(path.join(fixture.dataDir, 'reconcile.db'));
    expect(db.prepare("SELECT actor, action, targetId FROM AuditEvent WHERE action LIKE 'recovery.%' ORDER BY id").all()).toEqual([
      { actor: 'mike@example.com', action: 'recovery.waived', targetId: 'mac:old/draft v1.doc' },
      { actor: 'mike@example.com', action: 'recovery.waived', targetId: 'mac:keep.pdf' },
      { actor: expect.stringMatching(/^cli:/), action: 'recovery.waiver-revoked', targetId: 'mac:keep.pdf' },
      { actor: expect.stringMatching(/^cli:/), action: 'recovery.waiver-revoked', targetId: 'mac:old/draft v1.doc' },
    ]);
    db.close();
  });
});
