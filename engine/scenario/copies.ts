/**
 * Planted copies: true duplicates within and across sources (some inside archive sets, where they
 * are intended) and same-path conflicts (text with a few changed lines, two versions of a logo,
 * versions that only an origin inventory still knows).
 */
import { findingLabel, type ScenarioBuilder } from './builder.ts';
import { contentFor, prose } from './content.ts';
import { docx, pdf, xlsx } from './documents.ts';
import { badgePng } from './formats.ts';
import { sources, type ScenarioSource } from './layout.ts';

export function plantDuplicates(builder: ScenarioBuilder, round: string): void {
  const { random } = builder;
  const { dev, m365, macMain, wintermute, icloud, archives } = sources;
  const dup = { duplicate: true };
  const label = findingLabel('duplicate', round);

  const logo = badgePng(48, [20, 24, 40], [240, 180, 30], 18 + random.int(0, 4), random.token(12));
  const logoTime = builder.originTime();
  builder.finding({
    label: label('dev-logo'),
    kind: 'duplicate',
    paths: [
      builder.arrived(dev, `assets/${round}logo-final.png`, logo, logoTime, dup),
      builder.arrived(dev, `website/public/${round}logo.png`, logo, logoTime, dup),
    ],
    sources: [dev.id],
    note: 'same PNG twice within one source',
  });

  const spec = contentFor(random, 'spec-v3.pdf', 38 * 1024);
  builder.finding({
    label: label('spec-across-sources'),
    kind: 'duplicate',
    paths: [
      builder.arrived(dev, `docs/${round}spec-v3.pdf`, spec, builder.originTime(), dup),
      builder.arrived(wintermute, `Projects/Reconcile/${round}spec-v3.pdf`, spec, builder.originTime(), dup),
    ],
    sources: [dev.id, wintermute.id],
    note: 'the Mac and the Windows PC both had the spec, under different folders',
  });

  const tax = contentFor(random, 'Tax summary.pdf', 22 * 1024);
  const taxTime = builder.originTime();
  const taxRel = `Finance/2025/${round}Tax summary.pdf`;
  builder.origin(macMain, taxRel, tax, taxTime);
  builder.finding({
    label: label('main-files-inbox-copy'),
    kind: 'duplicate',
    paths: [builder.arrived(m365, taxRel, tax, taxTime, dup), builder.arrived(wintermute, `_MAIN_FILES/${taxRel}`, tax, taxTime, dup)],
    sources: [m365.id, macMain.id, wintermute.id],
    note: 'the inbox copy of _MAIN_FILES maps onto mike/_MAIN_FILES: same path after mapping, same content',
  });

  const cv = contentFor(random, 'CV 2025.pdf', 16 * 1024);
  const cvTime = builder.originTime();
  builder.origin(macMain, `Personal/${round}CV 2025.pdf`, cv, cvTime);
  builder.finding({
    label: label('icloud-and-main-files'),
    kind: 'duplicate',
    paths: [
      builder.arrived(m365, `Personal/${round}CV 2025.pdf`, cv, cvTime, dup),
      builder.arrived(icloud, `Documents/${round}CV 2025.pdf`, cv, cvTime, dup),
    ],
    sources: [m365.id, macMain.id, icloud.id],
    note: 'a device capture holds a copy of a working file',
  });

  const photo = contentFor(random, 'IMG_0412.jpg', 64 * 1024);
  const photoTime = builder.originTime();
  const archived = [
    builder.arrived(archives, `2019-laptop-backup/Photos/${round}IMG_0412.jpg`, photo, photoTime, dup),
    builder.arrived(archives, `2021-nas-export/Photos/${round}IMG_0412.jpg`, photo, photoTime, dup),
  ];
  builder.finding({
    label: label('archive-sets'),
    kind: 'duplicate',
    paths: archived,
    sources: [archives.id],
    intendedPaths: archived,
    note: 'two archive sets hold the same photo: intended, nothing to do',
  });

  const readme = contentFor(random, 'README.md', 2400);
  const readmeTime = builder.originTime();
  const archivedReadme = builder.arrived(archives, `2021-nas-export/Projects/${round}README.md`, readme, readmeTime, dup);
  builder.finding({
    label: label('archive-and-working'),
    kind: 'duplicate',
    paths: [builder.arrived(dev, `${round}README.md`, readme, readmeTime, dup), archivedReadme],
    sources: [dev.id, archives.id],
    intendedPaths: [archivedReadme],
    note: 'a working file also sits in an archive set; only the archive copy is in an intended role',
  });

  const video = contentFor(random, 'intro.mp4', 1200 * 1024);
  const videoTime = builder.originTime();
  builder.finding({
    label: label('video-three-copies'),
    kind: 'duplicate',
    paths: [
      builder.arrived(dev, `videos/${round}intro.mp4`, video, videoTime, dup),
      builder.arrived(wintermute, `Projects/Media/${round}intro.mp4`, video, videoTime, dup),
      builder.arrived(icloud, `Desktop/${round}intro.mp4`, video, videoTime, dup),
    ],
    sources: [dev.id, wintermute.id, icloud.id],
    note: 'a 1.2 MiB video in three sources (large enough for the tail-hash stage)',
  });
}

/** Rewrites `changes` distinct lines of a text: a small, readable diff. */
function editLines(builder: ScenarioBuilder, text: string, changes: number): string {
  const lines = text.split('\n');
  const picked = new Set<number>();
  while (picked.size < Math.min(changes, lines.length - 2)) picked.add(builder.random.int(1, lines.length - 2));
  for (const index of picked) lines[index] = prose(builder.random, 1).split('\n')[1]!;
  return lines.join('\n');
}

export function plantConflicts(builder: ScenarioBuilder, round: string): void {
  const { random } = builder;
  const { m365, macMain, wintermute } = sources;
  const label = findingLabel('conflict', round);
  const bothMainFiles = (rel: string, content: Buffer, mtime: number) => {
    builder.origin(macMain, rel, content, mtime);
    return builder.arrived(m365, rel, content, mtime);
  };

  // Text: the Windows PC's copy of _MAIN_FILES has an older edit of the meeting notes.
  const notesRel = `Notes/${round}Meeting notes.md`;
  const notes = prose(random, 40);
  const notesWin = editLines(builder, notes, 3);
  builder.finding({
    label: label('meeting-notes-text'),
    kind: 'conflict',
    paths: [
      bothMainFiles(notesRel, Buffer.from(notes), builder.originTime()),
      builder.arrived(wintermute, `_MAIN_FILES/${notesRel}`, Buffer.from(notesWin), builder.originTime()),
    ],
    sources: [m365.id, macMain.id, wintermute.id],
    note: 'same logical path (inbox/wintermute-mdt_ maps onto mike), three lines differ',
  });

  // Image: the logo was recoloured on one machine.
  const logoRel = `Brand/${round}logo.png`;
  builder.finding({
    label: label('logo-image'),
    kind: 'conflict',
    paths: [
      bothMainFiles(logoRel, badgePng(64, [250, 250, 250], [200, 30, 60], 24 + random.int(0, 4), random.token(12)), builder.originTime()),
      builder.arrived(wintermute, `_MAIN_FILES/${logoRel}`, badgePng(64, [250, 250, 250], [30, 90, 200], 20 + random.int(0, 4), random.token(12)), builder.originTime()),
    ],
    sources: [m365.id, macMain.id, wintermute.id],
    note: 'two versions of a logo (red disc vs blue disc): a picture diff',
  });

  // Documents, as the owner's conflicts mostly are: the Windows PC's _MAIN_FILES has older editions.
  const ledgerRel = `Finance/${round}Ledger 2025.xlsx`;
  const [hosting, design, travel] = [random.int(80, 240), random.int(600, 900), random.int(100, 500)];
  const ledgerRows = (retainer: number) => [
    ['Item', 'Amount (EUR)', 'Status'],
    ['Hosting', hosting, 'paid'],
    ['Design retainer', retainer, 'invoiced'],
    ['Travel', travel, 'paid'],
  ];
  builder.finding({
    label: label('ledger-spreadsheet'),
    kind: 'conflict',
    paths: [
      bothMainFiles(ledgerRel, xlsx('Ledger', ledgerRows(design + 150)), builder.originTime()),
      builder.arrived(wintermute, `_MAIN_FILES/${ledgerRel}`, xlsx('Ledger', ledgerRows(design)), builder.originTime()),
    ],
    sources: [m365.id, macMain.id, wintermute.id],
    note: 'two editions of a ledger: one cell differs (Ledger!B3)',
  });
  const agreementRel = `Contracts/${round}Services agreement.pdf`;
  const agreementRef = random.token(8);
  const agreement = (term: string) => [
    ['Services agreement', `Ref. ${agreementRef}, between MikeT LLC and Hosaka Corp.`, `Term: ${term}, renewing yearly.`],
    ['Signed in Lisbon', 'for MikeT LLC            for Hosaka Corp.'],
  ];
  builder.finding({
    label: label('agreement-pdf'),
    kind: 'conflict',
    paths: [
      bothMainFiles(agreementRel, pdf(agreement('24 months')), builder.originTime()),
      builder.arrived(wintermute, `_MAIN_FILES/${agreementRel}`, pdf(agreement('12 months')), builder.originTime()),
    ],
    sources: [m365.id, macMain.id, wintermute.id],
    note: 'two editions of a contract: the term on page 1 differs',
  });

  // The Mac's rsync ran last over M365's older invoice; the Windows PC's own OneDrive folder still
  // holds that older one, under another folder (no mapping pairs them): both versions are in the space.
  const invoiceRel = `Finance/Invoices/${round}Invoice_2023_003.docx`;
  const hours = random.int(10, 40);
  const invoiceOrder = random.token(6);
  const invoice = (rate: number) =>
    docx([
      'MikeT LLC — Invoice 2023-003',
      `Bill to: Hosaka Corp., Chiba · order ${invoiceOrder}`,
      `Consulting, March 2023: ${hours} hours. Total due: EUR ${(hours * rate).toLocaleString('en')} within 30 days.`,
      'Thank you for your business.',
    ]);
  const sent = invoice(95);
  const draft = invoice(80);
  const invoiceTime = builder.originTime();
  builder.origin(m365, invoiceRel, draft, invoiceTime - 86400);
  builder.finding({
    label: label('invoice-overwritten-copy-kept'),
    kind: 'conflict',
    paths: [
      builder.arrived(macMain, invoiceRel, sent, invoiceTime),
      builder.arrived(wintermute, `OneDrive - MikeT LLC/_MAIN_FILES/${invoiceRel}`, draft, invoiceTime - 86400),
    ],
    sources: [macMain.id, m365.id],
    note: "M365's older invoice was overwritten at its path, but the Windows PC's OneDrive folder holds it: both versions are members",
  });

  // Only the inventories know the other version: the Mac had an unsynced edit; M365's copy landed.
  plantInventoryConflict(builder, m365, macMain, `Finance/2025/${round}Budget.xlsx`, label('budget-overwritten'),
    'the Mac version (newer, in the Mac inventory) was overwritten by the M365 copy; it is nowhere in the space');
  // ... and the other way round: the rsync from the Mac ran last.
  plantInventoryConflict(builder, macMain, m365, `Notes/${round}Roadmap.md`, label('roadmap-overwritten'),
    'the M365 version (in the rclone listing) was overwritten by the Mac copy; it is nowhere in the space');
}

function plantInventoryConflict(builder: ScenarioBuilder, winner: ScenarioSource, loser: ScenarioSource, rel: string, label: string, note: string): void {
  const landed = contentFor(builder.random, rel, 12 * 1024);
  const lost = contentFor(builder.random, rel, 13 * 1024);
  const landedTime = builder.originTime();
  builder.origin(loser, rel, lost, landedTime + 86400);
  builder.outstanding(loser, rel, 'overwritten-version');
  builder.finding({
    label,
    kind: 'conflict',
    paths: [builder.arrived(winner, rel, landed, landedTime)],
    sources: [winner.id, loser.id],
    origin: [builder.originRef(loser, rel)],
    note,
  });
}
