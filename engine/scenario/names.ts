/**
 * Planted name problems: content-free litter, AppleDouble forks, copy suffixes and conflict copies
 * (judged by their bytes), trash folders, names that collide after case folding or NFC
 * normalisation, names Windows/SMB cannot hold, and a folder nobody may read.
 */
import { findingLabel, type ScenarioBuilder } from './builder.ts';
import { contentFor, prose } from './content.ts';
import { appleDouble, zoneIdentifier } from './formats.ts';
import { sources, type ScenarioSource } from './layout.ts';
import type { Random } from './random.ts';

export function plantArtifacts(builder: ScenarioBuilder, round: string): void {
  const { random } = builder;
  const { dev, wintermute } = sources;
  const label = findingLabel('artifact', round);
  const time = builder.originTime();
  const litter = (source: ScenarioSource, rel: string, content: Buffer, name: string, note: string, related: string[] = []) =>
    builder.finding({
      label: label(name),
      kind: 'artifact',
      paths: [builder.writeLanded(source, rel, content, time)],
      sources: [source.id],
      related,
      note,
    });
  const dsStore = () => Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.from('Bud1'), random.bytes(2044)]);

  litter(dev, `${round}.DS_Store`, dsStore(), 'ds-store-root', 'Finder metadata');
  litter(dev, `docs/${round}.DS_Store`, dsStore(), 'ds-store-docs', 'Finder metadata');
  litter(dev, `${round}Icon\r`, Buffer.alloc(0), 'icon-cr', 'custom folder icon file "Icon\\r" (0 bytes, not a placeholder)');
  litter(wintermute, `Projects/${round}Thumbs.db`, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), random.bytes(6000)]), 'thumbs-db', 'Windows thumbnail cache');
  litter(wintermute, `Projects/${round}desktop.ini`, desktopIni(random), 'desktop-ini', 'Windows folder settings');
  litter(wintermute, `_MAIN_FILES/Finance/${round}~$Ledger 2024.xlsx`, Buffer.concat([Buffer.from('\x04mike', 'latin1'), random.bytes(157)]), 'office-lock', 'Office owner/lock file ~$');

  const brochureRel = `Projects/Downloads/${round}brochure.pdf`;
  const brochure = builder.arrived(wintermute, brochureRel, contentFor(random, brochureRel, 30 * 1024), time);
  const zoneRel = `${brochureRel}:Zone.Identifier`;
  litter(wintermute, zoneRel, zoneIdentifier(`https://hosaka.example/${random.token(8)}/brochure.pdf`), 'zone-identifier',
    'an NTFS alternate data stream saved as a file (also a name Windows cannot hold: see name-collision)', [brochure]);
  builder.finding({
    label: findingLabel('name-collision', round)('zone-identifier'),
    kind: 'name-collision',
    paths: [`${wintermute.landing}/${zoneRel}`],
    sources: [wintermute.id],
    note: 'contains ":"',
  });

  // An AppleDouble fork beside its file belongs to it (no finding; it moves with the file). One
  // whose file never arrived is an orphan: a finding of its own, never litter.
  builder.clean.push(builder.writeLanded(dev, `docs/${round}._spec-v3.pdf`, Buffer.concat([appleDouble(), random.bytes(32)]), time));
  builder.finding({
    label: findingLabel('appledouble', round)('orphan-fork'),
    kind: 'appledouble',
    paths: [builder.writeLanded(dev, `docs/${round}._handout.pdf`, Buffer.concat([appleDouble(), random.bytes(48)]), time)],
    sources: [dev.id],
    note: 'an AppleDouble resource fork whose data file is not in the space',
  });
  plantCopyNames(builder, round);
  plantTrash(builder, round);
}

/**
 * Copy suffixes and sync-tool conflict copies, next to their original: other bytes make a
 * conflict (both versions kept), the same bytes a duplicate, and a copy with no original is clean.
 */
function plantCopyNames(builder: ScenarioBuilder, round: string): void {
  const { random } = builder;
  const { dev, m365, macMain, wintermute } = sources;
  const label = (kind: 'conflict' | 'duplicate', name: string) => findingLabel(kind, round)(name);
  const landOn = (source: ScenarioSource, rel: string, content: Buffer, mtime: number, duplicate = false) => {
    const spacePath = builder.arrived(source, rel, content, mtime, { duplicate });
    // The Mac's OneDrive folder lands on the same folder as the M365 copy, with the same content.
    if (source === m365) builder.origin(macMain, rel, content, mtime);
    return spacePath;
  };
  const differing: [ScenarioSource, string, string, string][] = [
    [m365, `Contracts/${round}NDA Acme.pdf`, `Contracts/${round}NDA Acme (1).pdf`, 'copy-suffix-number'],
    [wintermute, `Projects/Reconcile/${round}proposal.docx`, `Projects/Reconcile/${round}proposal - Copy.docx`, 'copy-suffix-windows'],
    [m365, `Finance/2025/${round}Forecast.xlsx`, `Finance/2025/${round}Forecast-WINTERMUTE.xlsx`, 'onedrive-conflict'],
    [dev, `notes/${round}ideas.md`, `notes/${round}ideas.sync-conflict-20251012-101500-7QXJ2ZK.md`, 'syncthing-conflict'],
    [m365, `Notes/${round}Todo.md`, `Notes/${round}Todo (conflicted copy 2025-09-14 101500).md`, 'nextcloud-conflict'],
    [m365, `Notes/${round}Checklist.md`, `Notes/${round}Checklist.md.conflict1`, 'rclone-bisync-conflict'],
  ];
  for (const [source, originalRel, copyRel, name] of differing) {
    const originalTime = builder.originTime();
    const originalPath = landOn(source, originalRel, contentFor(random, originalRel, 9000), originalTime);
    const copyPath = landOn(source, copyRel, contentFor(random, originalRel, 9000), originalTime + 600);
    builder.finding({
      label: label('conflict', name),
      kind: 'conflict',
      paths: [originalPath, copyPath],
      sources: source === m365 ? [m365.id, macMain.id] : [source.id],
      note: 'a copy-named file next to its original with other, newer bytes: a conflicting version, both kept',
    });
  }
  const same: [ScenarioSource, string, string, string][] = [
    [dev, `design/${round}logo.svg`, `design/${round}logo copy.svg`, 'copy-suffix-same-bytes'],
    [wintermute, `Projects/Reconcile/${round}minutes.txt`, `Projects/Reconcile/${round}minutes (2).txt`, 'copy-suffix-number-same-bytes'],
  ];
  for (const [source, originalRel, copyRel, name] of same) {
    const content = contentFor(random, originalRel, 4000);
    const time = builder.originTime();
    builder.finding({
      label: label('duplicate', name),
      kind: 'duplicate',
      paths: [landOn(source, originalRel, content, time, true), landOn(source, copyRel, content, time + 60, true)],
      sources: [source.id],
      note: 'a copy-named file with the same bytes as its original: a duplicate',
    });
  }
  for (const [source, rel] of [[m365, `Contracts/${round}Contract - Copy.pdf`], [dev, `notes/${round}plan.sync-conflict-20251101-080000-7QXJ2ZK.md`]] as const) {
    builder.clean.push(landOn(source, rel, contentFor(random, rel, 5000), builder.originTime()));
  }
}

/** Trash folders that came along with a volume copy: user files, one finding per folder. */
function plantTrash(builder: ScenarioBuilder, round: string): void {
  const { random } = builder;
  const { dev, wintermute } = sources;
  const label = findingLabel('trash', round);
  const time = builder.originTime();
  const macTrash = ['old budget.numbers', 'draft v1.pages'].map((name) => {
    const rel = `${round}.Trashes/501/${name}`;
    return builder.arrived(dev, rel, contentFor(random, rel, 7000), time);
  });
  builder.finding({ label: label('macos-trashes'), kind: 'trash', paths: macTrash, sources: [dev.id], note: 'a volume trash folder (.Trashes) holding deleted user files' });
  const recycled = [`$RE4K2Q1.docx`, `$IE4K2Q1.docx`].map((name) => {
    const rel = `${round}$RECYCLE.BIN/S-1-5-21-3623811015-3361044348-30300820-1013/${name}`;
    return builder.writeLanded(wintermute, rel, contentFor(random, rel, name.startsWith('$I') ? 544 : 12_000), time);
  });
  builder.finding({ label: label('recycle-bin'), kind: 'trash', paths: recycled, sources: [wintermute.id], note: 'the Windows recycle bin ($RECYCLE.BIN) copied by robocopy' });
}

/** Explorer's folder settings: an icon and the folder's view, whose id (a GUID) keeps each one distinct. */
function desktopIni(random: Random): Buffer {
  const hex = random.bytes(16).toString('hex').toUpperCase();
  const guid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const lines = ['[.ShellClassInfo]', `IconResource=C:\\Windows\\System32\\imageres.dll,-${random.int(100, 200)}`, '[ViewState]', 'Mode=', `Vid={${guid}}`, 'FolderType=Generic'];
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

export function plantNameCollisions(builder: ScenarioBuilder, round: string): void {
  const { random } = builder;
  const { dev, m365, macMain } = sources;
  const label = findingLabel('name-collision', round);
  const text = () => Buffer.from(prose(random, 6));
  const twin = { nameTwin: true };

  builder.finding({
    label: label('case-twins'),
    kind: 'name-collision',
    paths: [
      builder.arrived(dev, `docs/${round}Report.txt`, text(), builder.originTime(), twin),
      builder.arrived(dev, `docs/${round}report.txt`, text(), builder.originTime(), twin),
    ],
    sources: [dev.id],
    note: 'names equal after case folding (the Mac dev volume is case-sensitive APFS)',
  });

  // M365 gives the composed name, the Mac (HFS+/APFS via rsync) the decomposed one.
  const composed = `Menus/${round}café.txt`.normalize('NFC');
  const decomposed = composed.normalize('NFD');
  const composedTime = builder.originTime();
  builder.finding({
    label: label('nfc-nfd-twins'),
    kind: 'name-collision',
    paths: [builder.arrived(m365, composed, text(), composedTime, twin), builder.arrived(macMain, decomposed, text(), builder.originTime(), twin)],
    sources: [m365.id, macMain.id],
    note: '"café.txt" composed (NFC) and decomposed (NFD) in one folder',
  });

  const illegal: [string, string, string][] = [
    [`notes/${round}todo.`, 'trailing-dot', 'trailing dot'],
    [`notes/${round}draft `, 'trailing-space', 'trailing space'],
    [`notes/${round}What now?.txt`, 'question-mark', 'contains "?"'],
    [`notes/${round}10:30 call.txt`, 'colon', 'contains ":"'],
    [`notes/${round}<draft>.txt`, 'angle-brackets', 'contains "<" and ">"'],
    [`notes/${round}CON.txt`, 'reserved-con', 'reserved device name CON'],
    [`notes/${round}aux.c`, 'reserved-aux', 'reserved device name AUX (with an extension too)'],
    [`notes/${round}call\nnotes.txt`, 'newline', 'contains a newline (a control character)'],
  ];
  for (const [rel, name, why] of illegal) {
    builder.finding({
      label: label(`windows-${name}`),
      kind: 'name-collision',
      paths: [builder.arrived(dev, rel, text(), builder.originTime())],
      sources: [dev.id],
      note: `Windows/SMB cannot hold this name: ${why}`,
    });
  }
}

/** A folder the scan cannot read (macOS privacy-blocked Downloads, captured with its modes). */
export function plantUnreadable(builder: ScenarioBuilder, round: string): void {
  const { icloud } = sources;
  const folder = `${icloud.landing}/${round}Private`;
  builder.writeLanded(icloud, `${round}Private/keys.txt`, Buffer.from(prose(builder.random, 4)), builder.originTime());
  builder.markUnreadable(folder);
  builder.finding({
    label: findingLabel('unreadable', round)('private-folder'),
    kind: 'unreadable',
    paths: [folder],
    sources: [icloud.id],
    needsUnprivilegedScan: true,
    note: 'mode 000; root still reads it, so only a scan run as an unprivileged user meets EACCES',
  });
}
