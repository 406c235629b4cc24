/**
 * Planted name problems: OS and sync-tool litter, copy suffixes, names that collide after case
 * folding or NFC normalisation, names Windows/SMB cannot hold, and a folder nobody may read.
 */
import { findingLabel, type ScenarioBuilder } from './builder.ts';
import { contentFor, prose } from './content.ts';
import { appleDouble, zoneIdentifier } from './formats.ts';
import { sources, type ScenarioSource } from './layout.ts';

export function plantArtifacts(builder: ScenarioBuilder, round: string): void {
  const { random } = builder;
  const { dev, m365, macMain, wintermute } = sources;
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
  const specPath = `${dev.landing}/docs/${round}spec-v3.pdf`;
  litter(dev, `docs/${round}._spec-v3.pdf`, Buffer.concat([appleDouble(), random.bytes(32)]), 'appledouble', 'AppleDouble resource fork', [specPath]);
  litter(dev, `${round}Icon\r`, Buffer.alloc(0), 'icon-cr', 'custom folder icon file "Icon\\r" (0 bytes, not a placeholder)');
  litter(wintermute, `Projects/${round}Thumbs.db`, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), random.bytes(6000)]), 'thumbs-db', 'Windows thumbnail cache');
  litter(wintermute, `Projects/${round}desktop.ini`, Buffer.from(`[.ShellClassInfo]\r\nIconResource=C:\\Windows\\System32\\imageres.dll,-${random.int(100, 200)}\r\n`), 'desktop-ini', 'Windows folder settings');
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

  // Copy suffixes and sync-tool conflict copies: each sits next to its original.
  const copies: [ScenarioSource, string, string, string][] = [
    [m365, `Contracts/${round}NDA Acme.pdf`, `Contracts/${round}NDA Acme (1).pdf`, 'copy-suffix-number'],
    [wintermute, `Projects/Reconcile/${round}proposal.docx`, `Projects/Reconcile/${round}proposal - Copy.docx`, 'copy-suffix-windows'],
    [m365, `Finance/2025/${round}Forecast.xlsx`, `Finance/2025/${round}Forecast-WINTERMUTE.xlsx`, 'onedrive-conflict'],
    [dev, `notes/${round}ideas.md`, `notes/${round}ideas.sync-conflict-20251012-101500-7QXJ2ZK.md`, 'syncthing-conflict'],
    [m365, `Notes/${round}Todo.md`, `Notes/${round}Todo (conflicted copy 2025-09-14 101500).md`, 'nextcloud-conflict'],
    [m365, `Notes/${round}Checklist.md`, `Notes/${round}Checklist.md.conflict1`, 'rclone-bisync-conflict'],
  ];
  for (const [source, originalRel, copyRel, name] of copies) {
    const originalTime = builder.originTime();
    const original = contentFor(random, originalRel, 9000);
    const copy = contentFor(random, originalRel, 9000);
    const originalPath = builder.arrived(source, originalRel, original, originalTime);
    const copyPath = builder.arrived(source, copyRel, copy, originalTime + 600);
    if (source === m365) {
      builder.origin(macMain, originalRel, original, originalTime);
      builder.origin(macMain, copyRel, copy, originalTime + 600);
    }
    builder.finding({
      label: label(name),
      kind: 'artifact',
      paths: [copyPath],
      sources: source === m365 ? [m365.id, macMain.id] : [source.id],
      related: [originalPath],
      note: 'a copy-suffixed name next to its original (different content)',
    });
  }
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
