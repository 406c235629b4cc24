/** Each finding kind on real files scanned into a real catalog (origin inventories as rows). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import xxhash from 'xxhash-addon';
import { classify, collectFindings, type Finding, type FindingKind, type FindingOf } from '../../engine/classify/index.ts';
import { icloudStub } from '../../engine/scenario/formats.ts';
import { SpaceFixture, sharedLanding, twoSources, twoVersionsInventoried } from './fixture.ts';

const xxh = (content: string | Buffer) => xxhash.XXHash128.hash(Buffer.from(content)).toString('hex');
const text = (bytes: number, seed = 'x') => crypto.createHash('sha256').update(seed).digest('hex').repeat(Math.ceil(bytes / 64)).slice(0, bytes);

async function findingsOf(fixture: SpaceFixture): Promise<Finding[]> {
  await fixture.scan();
  return collectFindings(fixture.db, fixture.config);
}

function rel(fixture: SpaceFixture, finding: Finding): string[] {
  return finding.paths.map((item) => item.slice(fixture.space.length + 1));
}

function find<K extends FindingKind>(fixture: SpaceFixture, findings: Finding[], kind: K, relPath: string): FindingOf<K> | undefined {
  return findings.find((finding): finding is FindingOf<K> => finding.kind === kind && rel(fixture, finding).includes(relPath));
}

describe('classify', () => {
  it('artifact: only content-free OS litter; ordinary names stay clean', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    const litter = {
      'mike/docs/.DS_Store': 'macos-ds-store',
      'mike/docs/Thumbs.db': 'windows-thumbs-db',
      'mike/docs/desktop.ini': 'windows-desktop-ini',
      'mike/docs/~$report.docx': 'office-lock-file',
      'mike/docs/report.docx:Zone.Identifier': 'windows-zone-identifier',
    };
    for (const file of Object.keys(litter)) fixture.write(file, `litter ${file}`);
    fixture.write('mike/docs/report.docx', 'the report');
    fixture.write('mike/docs/Icon\r', '');
    // A `~$` name too big for an Office owner file is somebody's document.
    fixture.write('mike/docs/~$draft.docx', text(20_000, 'draft'));
    const findings = await findingsOf(fixture);
    for (const [file, rule] of Object.entries(litter)) expect(find(fixture, findings, 'artifact', file)?.rule, file).toBe(rule);
    expect(find(fixture, findings, 'artifact', 'mike/docs/Icon\r')?.rule).toBe('macos-icon');
    expect(findings.some((finding) => rel(fixture, finding).includes('mike/docs/report.docx'))).toBe(false);
    expect(findings.some((finding) => rel(fixture, finding).includes('mike/docs/~$draft.docx'))).toBe(false);
  });

  it('copy and conflict-copy names: a duplicate when the bytes match, a conflict when not, left alone without an original', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    fixture.write('mike/docs/Invoice.pdf', text(9000, 'invoice'), 1_767_000_000);
    fixture.write('mike/docs/Invoice (1).pdf', text(9000, 'invoice v2'), 1_767_000_600);
    fixture.write('mike/docs/logo.png', text(3000, 'logo'));
    fixture.write('mike/docs/logo - Copy.png', text(3000, 'logo'));
    fixture.write('mike/docs/ideas.md', 'first ideas');
    fixture.write('mike/docs/ideas.sync-conflict-20251012-101500-7QXJ2ZK.md', 'other ideas, unique');
    fixture.write('mike/docs/budget.xlsx', 'budget v1');
    fixture.write('mike/docs/budget-wintermute.xlsx', 'budget v2 from the PC');
    fixture.write('mike/docs/Contract - Copy.pdf', text(5000, 'contract'));
    fixture.write('mike/docs/Checklist.md.conflict1', 'a lone bisync copy');
    const findings = await findingsOf(fixture);
    expect(findings.filter((finding) => finding.kind === 'artifact')).toEqual([]);
    const invoice = find(fixture, findings, 'conflict', 'mike/docs/Invoice (1).pdf')!;
    expect(invoice).toMatchObject({ rule: 'copy-suffix', evidence: { original: `${fixture.space}/mike/docs/Invoice.pdf` } });
    expect(rel(fixture, invoice)).toEqual(['mike/docs/Invoice (1).pdf', 'mike/docs/Invoice.pdf']);
    expect(find(fixture, findings, 'conflict', 'mike/docs/ideas.sync-conflict-20251012-101500-7QXJ2ZK.md')?.rule).toBe('syncthing-conflict');
    expect(find(fixture, findings, 'conflict', 'mike/docs/budget-wintermute.xlsx')?.rule).toBe('onedrive-conflict-copy');
    expect(rel(fixture, find(fixture, findings, 'duplicate', 'mike/docs/logo - Copy.png')!)).toEqual(['mike/docs/logo - Copy.png', 'mike/docs/logo.png']);
    for (const lone of ['mike/docs/Contract - Copy.pdf', 'mike/docs/Checklist.md.conflict1']) {
      expect(findings.filter((finding) => rel(fixture, finding).includes(lone)), lone).toEqual([]);
    }
  });

  it('a copy in a folder two sources land in is one member of its conflict, not one per source', async () => {
    const fixture = new SpaceFixture();
    // The two transfers into one landing, without the PC's.
    fixture.configure({ sources: sharedLanding.sources.slice(0, 2) });
    fixture.write('mike/_MAIN_FILES/NDA Acme.pdf', text(6000, 'nda'), 1_767_000_000);
    fixture.write('mike/_MAIN_FILES/NDA Acme (1).pdf', text(6000, 'nda signed'), 1_767_000_600);
    const findings = await findingsOf(fixture);
    const nda = find(fixture, findings, 'conflict', 'mike/_MAIN_FILES/NDA Acme (1).pdf')!;
    expect(nda.rule).toBe('copy-suffix');
    expect(rel(fixture, nda)).toEqual(['mike/_MAIN_FILES/NDA Acme (1).pdf', 'mike/_MAIN_FILES/NDA Acme.pdf']);
  });

  it('trash: one finding per trash folder with every file below it, never litter', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    fixture.write('mike/.Trashes/501/old draft.docx', text(4000, 'draft'));
    fixture.write('mike/.Trashes/501/.DS_Store', 'finder');
    fixture.write('mike/.Trashes/501/logo.png', text(3000, 'logo'));
    fixture.write('mike/brand/logo.png', text(3000, 'logo'));
    fixture.write('inbox/wm/$RECYCLE.BIN/S-1-5-21-1/$RABC123.xlsx', text(2500, 'sheet'));
    const findings = await findingsOf(fixture);
    const mac = find(fixture, findings, 'trash', 'mike/.Trashes/501/old draft.docx')!;
    expect(mac).toMatchObject({ rule: 'macos-volume-trash', evidence: { folder: `${fixture.space}/mike/.Trashes`, uniqueFiles: 2 } });
    expect(rel(fixture, mac)).toEqual(['mike/.Trashes/501/.DS_Store', 'mike/.Trashes/501/logo.png', 'mike/.Trashes/501/old draft.docx']);
    expect(find(fixture, findings, 'trash', 'inbox/wm/$RECYCLE.BIN/S-1-5-21-1/$RABC123.xlsx')?.rule).toBe('windows-recycle-bin');
    // Nothing inside a trash folder is proposed by another finding (its duplicate of a live file included).
    expect(findings.filter((finding) => finding.kind !== 'trash' && finding.paths.some((item) => item.includes('Trashes')))).toEqual([]);
  });

  it('AppleDouble: kept with its file (no finding, carried on the file), an orphan is its own finding', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    fixture.write('mike/docs/spec.pdf', text(6000, 'spec'));
    fixture.write('mike/docs/._spec.pdf', 'resource fork of spec');
    fixture.write('inbox/wm/docs/spec.pdf', text(6000, 'spec'));
    fixture.write('mike/docs/._gone.pdf', 'resource fork of a file that never arrived');
    // Identical forks of two different files are no duplicates of each other.
    fixture.write('mike/docs/a.txt', 'a');
    fixture.write('mike/docs/._a.txt', 'same fork');
    fixture.write('mike/docs/b.txt', 'bb');
    fixture.write('mike/docs/._b.txt', 'same fork');
    const findings = await findingsOf(fixture);
    expect(findings.filter((finding) => finding.paths.some((item) => item.endsWith('/._spec.pdf') || item.endsWith('/._a.txt')))).toEqual([]);
    const duplicate = find(fixture, findings, 'duplicate', 'mike/docs/spec.pdf')!;
    const kept = duplicate.files.find((file) => file.path.endsWith('mike/docs/spec.pdf'))!;
    expect(kept.appleDouble).toMatchObject({ path: `${fixture.space}/mike/docs/._spec.pdf`, hash: xxh('resource fork of spec') });
    expect(find(fixture, findings, 'appledouble', 'mike/docs/._gone.pdf')).toMatchObject({ rule: 'orphan-appledouble', evidence: { dataFile: `${fixture.space}/mike/docs/gone.pdf` } });
  });

  it('partial: temp names, files inside partial folders, truncated prefixes, zero-filled tails', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    const complete = text(100_000, 'video');
    fixture.write('mike/media/.talk.mp4.Xy12Ab', complete.slice(0, 500));
    fixture.write('mike/media/clip.mov.partial', 'half');
    fixture.write('mike/media/setup.exe.crdownload', 'half');
    fixture.write('mike/media/.rsync-partial/talk.mp4', complete.slice(0, 900));
    fixture.write('mike/media/.bashrc.backup', 'not an rsync temp: all lowercase suffix');
    fixture.write('mike/media/talk.mp4', complete);
    fixture.write('inbox/wm/media/talk.mp4', complete.slice(0, 70_000));
    fixture.write('mike/media/scan.pdf', text(8192, 'scan'));
    fixture.write('inbox/wm/media/scan.pdf', Buffer.concat([Buffer.from(text(4096, 'scan')), Buffer.alloc(4096)]));
    const findings = await findingsOf(fixture);
    expect(find(fixture, findings, 'partial', 'mike/media/.talk.mp4.Xy12Ab')?.rule).toBe('rsync-temp-file');
    expect(find(fixture, findings, 'partial', 'mike/media/clip.mov.partial')?.rule).toBe('rclone-partial');
    expect(find(fixture, findings, 'partial', 'mike/media/setup.exe.crdownload')?.rule).toBe('browser-crdownload');
    expect(find(fixture, findings, 'partial', 'mike/media/.rsync-partial/talk.mp4')?.rule).toBe('rsync-partial-dir');
    expect(find(fixture, findings, 'partial', 'inbox/wm/media/talk.mp4')?.rule).toBe('truncated-copy');
    expect(find(fixture, findings, 'partial', 'inbox/wm/media/scan.pdf')?.rule).toBe('zero-filled-tail');
    for (const clean of ['mike/media/talk.mp4', 'mike/media/scan.pdf', 'mike/media/.bashrc.backup']) {
      expect(findings.filter((finding) => rel(fixture, finding).includes(clean)), clean).toEqual([]);
    }
  });

  it('conflict: same relative path in two sources with different complete content (archive-set versions excepted)', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [...twoSources.sources, { id: 'archives', kind: 'manual', class: 'local', landing: 'mike/archives' }] });
    fixture.write('mike/archives/docs/budget.xlsx', text(2500, 'v0'), 1_760_000_000);
    fixture.write('mike/docs/budget.xlsx', text(3000, 'v1'), 1_767_000_000);
    fixture.write('inbox/wm/docs/budget.xlsx', text(2000, 'v2'), 1_767_100_000);
    const findings = await findingsOf(fixture);
    const conflict = find(fixture, findings, 'conflict', 'mike/docs/budget.xlsx');
    expect(conflict?.rule).toBe('same-relative-path');
    expect(rel(fixture, conflict!)).toEqual(['inbox/wm/docs/budget.xlsx', 'mike/docs/budget.xlsx']);
    expect(conflict!.sources).toEqual(['motoko', 'wintermute']);
    expect(findings.filter((finding) => rel(fixture, finding).includes('mike/archives/docs/budget.xlsx'))).toEqual([]);
  });

  it('conflict: staged inbox file against its mapped place in the layout', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({
      sources: [
        { id: 'motoko', kind: 'manual', class: 'local', landing: 'mike/docs', systemOfRecord: true },
        { id: 'wintermute', kind: 'robocopy', class: 'local', landing: 'inbox/wm' },
      ],
      layout: { mappings: [{ from: 'inbox/wm', to: 'mike' }] },
    });
    fixture.write('mike/docs/plan.txt', 'version one');
    fixture.write('inbox/wm/docs/plan.txt', 'version two!');
    fixture.write('mike/docs/Notes.txt', 'notes');
    fixture.write('inbox/wm/docs/notes.txt', 'other notes');
    const findings = await findingsOf(fixture);
    expect(find(fixture, findings, 'conflict', 'inbox/wm/docs/plan.txt')?.rule).toBe('staged-vs-layout');
    const collision = find(fixture, findings, 'name-collision', 'inbox/wm/docs/notes.txt');
    expect(collision?.rule).toBe('collides-after-mapping');
    expect(rel(fixture, collision!)).toEqual(['inbox/wm/docs/notes.txt', 'mike/docs/Notes.txt']);
  });

  it('placeholder: empty copies, iCloud stubs (plist parsed), dataless log lines', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    fixture.write('mike/docs/contract.pdf', text(5000, 'contract'));
    fixture.write('inbox/wm/docs/contract.pdf', '');
    fixture.write('mike/docs/.Warranty.pdf.icloud', icloudStub('Warranty.pdf', 123_456));
    fixture.write('mike/docs/raw.NEF', '');
    await fixture.scan();
    fixture.db
      .prepare("INSERT INTO TransferEvent (sourceId, logFile, lineNo, tool, level, relPath, code, message) VALUES ('motoko', 'rsync.log', 7, 'rsync', 'error', 'docs/raw.NEF', 'EDEADLK', 'Resource deadlock avoided (11)')")
      .run();
    const findings = collectFindings(fixture.db, fixture.config);
    expect(find(fixture, findings, 'placeholder', 'inbox/wm/docs/contract.pdf')?.rule).toBe('zero-byte-vs-counterpart');
    const stub = find(fixture, findings, 'placeholder', 'mike/docs/.Warranty.pdf.icloud');
    expect(stub?.rule).toBe('icloud-stub');
    expect(stub?.evidence).toMatchObject({ realName: 'Warranty.pdf', realSize: 123_456, plistParsed: true });
    const logged = find(fixture, findings, 'placeholder', 'mike/docs/raw.NEF');
    expect(logged?.rule).toBe('transfer-log-dataless');
    expect(logged?.evidence).toMatchObject({ log: 'rsync.log', line: 7, code: 'EDEADLK' });
  });

  it('duplicate: same content at different paths; archive-set copies are intended', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [...twoSources.sources, { id: 'archives', kind: 'manual', class: 'local', landing: 'mike/archives' }] });
    const logo = text(4000, 'logo');
    fixture.write('mike/brand/logo.png', logo);
    fixture.write('inbox/wm/brand/logo.png', logo);
    fixture.write('mike/archives/2020/logo.png', logo);
    fixture.write('mike/brand/empty-a.txt', '');
    fixture.write('mike/brand/empty-b.txt', '');
    const findings = await findingsOf(fixture);
    const duplicates = findings.filter((finding) => finding.kind === 'duplicate');
    expect(duplicates).toHaveLength(1);
    expect(duplicates[0]!.hash).toBe(xxh(logo));
    expect(duplicates[0]!.size).toBe(4000);
    expect(duplicates[0]!.reclaimableBytes).toBe(4000);
    expect(duplicates[0]!.files.filter((file) => file.intended).map((file) => file.spacePath)).toEqual(['mike/archives/2020/logo.png']);
  });

  it('name-collision: case-only, Unicode normalisation, names Windows cannot hold', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    fixture.write('mike/docs/Report.txt', 'A');
    fixture.write('mike/docs/report.txt', 'B');
    fixture.write('mike/docs/caf\u00e9.txt', 'nfc');
    fixture.write('mike/docs/cafe\u0301.txt', 'nfd');
    fixture.write('mike/docs/draft.', 'trailing dot');
    fixture.write('mike/docs/a<b>.txt', 'reserved');
    fixture.write('mike/docs/CON.txt', 'reserved name');
    const findings = await findingsOf(fixture);
    expect(find(fixture, findings, 'name-collision', 'mike/docs/Report.txt')?.rule).toBe('case-only');
    expect(find(fixture, findings, 'name-collision', 'mike/docs/cafe\u0301.txt')?.rule).toBe('unicode-normalisation');
    expect(find(fixture, findings, 'name-collision', 'mike/docs/draft.')?.rule).toBe('windows-trailing-dot-or-space');
    expect(find(fixture, findings, 'name-collision', 'mike/docs/a<b>.txt')?.rule).toBe('windows-reserved-character');
    expect(find(fixture, findings, 'name-collision', 'mike/docs/CON.txt')?.rule).toBe('windows-reserved-name');
  });

  it('unreadable: entries the scan recorded with an error; what lies below is not called missing', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(twoSources);
    fixture.write('mike/private/secret.txt', 'x');
    await fixture.scan();
    // As a scan meets it when run unprivileged: the folder has an error, its content is unknown.
    fixture.db.prepare("UPDATE Entry SET errorCode = 'EACCES', errorMessage = 'permission denied' WHERE path = 'private'").run();
    fixture.db.prepare("DELETE FROM Entry WHERE path = 'private/secret.txt'").run();
    fixture.origin('motoko', [{ relPath: 'private/secret.txt', size: 1 }]);
    const findings: Finding[] = [];
    const result = classify(fixture.db, fixture.config, (finding) => findings.push(finding));
    const unreadable = find(fixture, findings, 'unreadable', 'mike/private');
    expect(unreadable?.rule).toBe('scan-eacces');
    expect(unreadable?.evidence).toMatchObject({ errorCode: 'EACCES', type: 'dir' });
    expect(findings.filter((finding) => finding.kind === 'missing')).toEqual([]);
    expect(result.completeness[0]).toMatchObject({ source: 'motoko', files: 1, unreadable: { files: 1, bytes: 1 }, missing: { files: 0 } });
  });

  it('against the origin inventory: a counterpart that cannot be read now is unreadable, not corrupt', async () => {
    const fixture = new SpaceFixture();
    fixture.configure({ sources: [{ id: 'mac', kind: 'rsync', class: 'local', landing: 'mike', origin: '/Users/miket/dev' }] });
    const content = text(3000, 'vanishing');
    const file = fixture.write('mike/vanished.bin', content);
    await fixture.scan();
    fixture.origin('mac', [{ relPath: 'vanished.bin', size: 3000, mtimeNs: 1_767_000_000n * 1_000_000_000n, xxh128: xxh(content) }]);
    fs.rmSync(file); // gone since the scan: the hash that decides cannot be read
    const result = classify(fixture.db, fixture.config, () => {});
    expect(result.counts).toEqual({});
    expect(result.completeness[0]).toMatchObject({ source: 'mac', files: 1, unreadable: { files: 1 }, present: { files: 0 } });
  });

  it('against the origin inventory: missing, corrupt, shorter, empty, overwritten by another transfer', async () => {
    const fixture = new SpaceFixture();
    // The two transfers into one landing, without the PC's.
    fixture.configure({ sources: sharedLanding.sources.slice(0, 2) });
    const mtime = 1_767_000_000;
    const mtimeNs = BigInt(mtime) * 1_000_000_000n;
    const good = text(3000, 'good');
    fixture.write('mike/_MAIN_FILES/good.txt', good, mtime);
    fixture.write('mike/_MAIN_FILES/flipped.bin', text(3000, 'flipped'), mtime);
    fixture.write('mike/_MAIN_FILES/short.doc', text(1000, 'short'), mtime);
    fixture.write('mike/_MAIN_FILES/empty.doc', '', mtime);
    const macVersion = text(2000, 'mac edit');
    fixture.write('mike/_MAIN_FILES/shared.docx', macVersion, mtime);
    await fixture.scan();
    fixture.origin('mac', [
      { relPath: 'good.txt', size: 3000, mtimeNs, xxh128: xxh(good) },
      { relPath: 'flipped.bin', size: 3000, mtimeNs, xxh128: xxh(text(3000, 'original')) },
      { relPath: 'short.doc', size: 4000, mtimeNs },
      { relPath: 'empty.doc', size: 777, mtimeNs },
      { relPath: 'gone.pdf', size: 4242, mtimeNs },
      { relPath: 'shared.docx', size: 2000, mtimeNs, xxh128: xxh(macVersion) },
    ]);
    fixture.origin('m365', [{ relPath: 'shared.docx', size: 2100, mtimeNs: mtimeNs + 5n }], 'm365:_MAIN_FILES');
    const findings = collectFindings(fixture.db, fixture.config);
    expect(find(fixture, findings, 'corrupt', 'mike/_MAIN_FILES/flipped.bin')?.rule).toBe('hash-differs-same-size-and-mtime');
    expect(find(fixture, findings, 'partial', 'mike/_MAIN_FILES/short.doc')?.rule).toBe('shorter-than-origin');
    expect(find(fixture, findings, 'placeholder', 'mike/_MAIN_FILES/empty.doc')?.rule).toBe('zero-byte-vs-origin');
    const missing = findings.find((finding) => finding.kind === 'missing');
    expect(missing?.paths).toEqual(['/Users/miket/OneDrive/_MAIN_FILES/gone.pdf']);
    const overwritten = find(fixture, findings, 'conflict', 'mike/_MAIN_FILES/shared.docx');
    expect(overwritten?.rule).toBe('overwritten-by-other-transfer');
    expect(overwritten?.evidence.lostVersions).toBe(1);
    expect(findings.filter((finding) => rel(fixture, finding).includes('mike/_MAIN_FILES/good.txt'))).toEqual([]);
  });

  it('overwritten by another transfer: a lost version found elsewhere in the space is a member too', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(sharedLanding);
    const mtime = 1_767_000_000;
    const mtimeNs = BigInt(mtime) * 1_000_000_000n;
    const newer = text(2000, 'invoice, as sent');
    const older = text(1900, 'invoice, first draft');
    const inbox = 'inbox/wintermute-mdt_/OneDrive - MikeT LLC/_MAIN_FILES/Invoice_2023_003.docx';
    fixture.write('mike/_MAIN_FILES/Invoice_2023_003.docx', newer, mtime);
    // The Windows PC's OneDrive folder kept the draft: another folder, so no mapping pairs it with the landed file.
    fixture.write(inbox, older, mtime - 86400);
    await fixture.scan();
    twoVersionsInventoried(fixture, 'Invoice_2023_003.docx', { mac: newer, m365: older }, mtimeNs);
    const findings = collectFindings(fixture.db, fixture.config);
    const conflict = find(fixture, findings, 'conflict', 'mike/_MAIN_FILES/Invoice_2023_003.docx');
    expect(conflict?.rule).toBe('overwritten-by-other-transfer');
    // Both versions exist in the space, so both are members: comparable, and either can win.
    expect(rel(fixture, conflict!).sort()).toEqual([inbox, 'mike/_MAIN_FILES/Invoice_2023_003.docx'].sort());
    expect(conflict!.evidence.lostVersions).toBe(0);
    const versions = conflict!.evidence.versions as { source: string; inSpace: boolean; spacePaths: string[] }[];
    expect(versions.map((version) => [version.source, version.inSpace, version.spacePaths.map((item) => item.slice(fixture.space.length + 1))]).sort()).toEqual([
      ['m365', true, [inbox]],
      ['mac', true, ['mike/_MAIN_FILES/Invoice_2023_003.docx']],
    ]);
    // The draft is explained by the conflict, not also proposed for a move into the layout.
    expect(findings.filter((finding) => finding !== conflict && rel(fixture, finding).includes(inbox))).toEqual([]);
  });
});
