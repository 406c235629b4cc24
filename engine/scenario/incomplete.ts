/**
 * What interrupted and cloud-backed transfers leave: 0-byte placeholders, iCloud stubs, reads that
 * failed with "Resource deadlock avoided", truncated and zero-tailed files, rsync/rclone/browser
 * temp files, silently corrupt copies, and files that never arrived.
 */
import { findingLabel, transferTime, type ScenarioBuilder } from './builder.ts';
import { contentFor } from './content.ts';
import { icloudStub } from './formats.ts';
import { sources, type ScenarioSource } from './layout.ts';

export function plantPlaceholders(builder: ScenarioBuilder, round: string): void {
  const { random } = builder;
  const { macMain, m365, wintermute, icloud, dev } = sources;
  const label = findingLabel('placeholder', round);

  // Cloud-only in the Mac's OneDrive folder: rsync copied 0 bytes; the rclone copy failed.
  const leaseRel = `Contracts/${round}Lease 2025.pdf`;
  const lease = contentFor(random, leaseRel, 180 * 1024);
  const leaseTime = builder.originTime();
  builder.origin(macMain, leaseRel, lease, leaseTime, { dataless: true });
  builder.origin(m365, leaseRel, lease, leaseTime, { state: 'placeholder' });
  builder.logEvent(m365, leaseRel, 'cloud-failed');
  // Either origin has it; the Mac's inventory comes first (dataless there: it needs making local).
  builder.outstanding(macMain, leaseRel, 'placeholder');
  builder.finding({
    label: label('onedrive-zero-byte'),
    kind: 'placeholder',
    paths: [builder.writeEmpty(macMain, leaseRel, leaseTime)],
    sources: [macMain.id, m365.id],
    origin: [builder.originRef(m365, leaseRel)],
    note: '0 bytes in the space; both inventories say 180 KiB (the Mac one without a hash: dataless)',
  });

  const contractRel = `Projects/Tessier-Ashpool/${round}Contract signed.pdf`;
  const contract = contentFor(random, contractRel, 90 * 1024);
  const contractTime = builder.originTime();
  builder.origin(wintermute, contractRel, contract, contractTime, { state: 'placeholder' });
  builder.outstanding(wintermute, contractRel, 'placeholder');
  builder.finding({
    label: label('files-on-demand-zero-byte'),
    kind: 'placeholder',
    paths: [builder.writeEmpty(wintermute, contractRel, contractTime)],
    sources: [wintermute.id],
    origin: [builder.originRef(wintermute, contractRel)],
    note: 'OneDrive Files-On-Demand placeholder copied by robocopy as 0 bytes',
  });

  for (const [stem, ext, baseSize, slug] of [
    ['Passport scan', 'pdf', 1_834_221, 'passport-scan'],
    ['Überweisung März', 'pdf', 74_310, 'ueberweisung-maerz'],
  ] as const) {
    const name = `${stem}.${ext}`;
    // The stub holds only the name and the size: each round's file needs a size of its own.
    const { content: stub, value: size } = builder.distinct(() => {
      const drawn = baseSize + random.int(0, 4096);
      return { content: icloudStub(name, drawn), value: drawn };
    });
    const rel = `Documents/${round}${name}`;
    const stubRel = `Documents/${round}.${name}.icloud`;
    const stubTime = builder.originTime();
    builder.origin(icloud, rel, random.bytes(size), stubTime, { dataless: true });
    builder.outstanding(icloud, rel, 'placeholder');
    builder.finding({
      label: label(`icloud-stub-${slug}`),
      kind: 'placeholder',
      paths: [builder.writeLanded(icloud, stubRel, stub, stubTime)],
      sources: [icloud.id],
      origin: [builder.originRef(icloud, rel)],
      note: `iCloud stub: the plist names "${name}", ${size} bytes; the file itself never downloaded`,
    });
  }

  // rsync could not read a dataless file: "Resource deadlock avoided" (EDEADLK, 11 on macOS).
  const nefOpenRel = `photos/raw/${round}DSC_0193.NEF`;
  builder.origin(dev, nefOpenRel, random.bytes(420 * 1024), builder.originTime(), { dataless: true });
  builder.logEvent(dev, nefOpenRel, 'edeadlk-open');
  builder.outstanding(dev, nefOpenRel, 'placeholder');
  builder.finding({
    label: label('edeadlk-not-copied'),
    kind: 'placeholder',
    paths: [],
    sources: [dev.id],
    origin: [builder.originRef(dev, nefOpenRel)],
    note: 'send_files failed to open: Resource deadlock avoided (11); the file is not in the space',
  });
  const nefReadRel = `photos/raw/${round}DSC_0194.NEF`;
  const nefTime = builder.originTime();
  builder.origin(dev, nefReadRel, random.bytes(410 * 1024), nefTime, { dataless: true });
  builder.logEvent(dev, nefReadRel, 'edeadlk-read');
  builder.outstanding(dev, nefReadRel, 'placeholder');
  builder.finding({
    label: label('edeadlk-zero-byte'),
    kind: 'placeholder',
    paths: [builder.writeEmpty(dev, nefReadRel, nefTime)],
    sources: [dev.id],
    origin: [builder.originRef(dev, nefReadRel)],
    note: 'read errors mapping: Resource deadlock avoided (11); 0 bytes in the space',
  });
}

export function plantPartials(builder: ScenarioBuilder, round: string): void {
  const { random } = builder;
  const { dev, m365, macMain, wintermute, icloud } = sources;
  const label = findingLabel('partial', round);
  const prefix = (content: Buffer, share: number) => content.subarray(0, Math.floor(content.length * share));

  /** A complete file plus a temp file holding its first bytes. */
  const withTemp = (source: ScenarioSource, rel: string, tempRel: string, size: number, name: string, note: string) => {
    const content = contentFor(random, rel, size);
    const mtime = builder.originTime();
    const complete = builder.arrived(source, rel, content, mtime);
    if (source === m365) builder.origin(macMain, rel, content, mtime);
    builder.finding({
      label: label(name),
      kind: 'partial',
      paths: [builder.writeLanded(source, tempRel, prefix(content, 0.37), transferTime)],
      sources: [source.id],
      related: [complete],
      note,
    });
  };
  withTemp(dev, `assets/${round}hero.psd`, `assets/${round}.hero.psd.${random.token(6)}`, 140 * 1024, 'rsync-temp',
    'rsync temp file .name.XXXXXX left by a killed run; the later run completed the file');
  withTemp(dev, `videos/${round}talk.mp4`, `videos/${round}.rsync-partial/talk.mp4`, 300 * 1024, 'rsync-partial-dir',
    'rsync --partial-dir leftover');
  withTemp(dev, `website/${round}bundle.js`, `website/${round}.~tmp~/bundle.js`, 9000, 'rsync-delay-updates',
    'rsync --delay-updates staging folder .~tmp~');
  withTemp(m365, `Presentations/${round}Quarterly review.pptx`, `Presentations/${round}Quarterly review.pptx.partial`, 150 * 1024, 'rclone-partial',
    'rclone *.partial from a failed attempt; the retry completed');
  builder.logEvent(m365, `Presentations/${round}Quarterly review.pptx`, 'retried');

  for (const [rel, name] of [
    [`Downloads/${round}ubuntu-24.04-desktop.iso.crdownload`, 'chrome-download'],
    [`Downloads/${round}report-final.pdf.part`, 'firefox-download'],
  ] as const) {
    builder.finding({
      label: label(name),
      kind: 'partial',
      paths: [builder.writeLanded(icloud, rel, contentFor(random, rel, 200 * 1024), transferTime - 3600)],
      sources: [icloud.id],
      note: 'an unfinished browser download',
    });
  }

  // Truncated at 82%, the complete copy (from M365) sits at the same logical path.
  const zipRel = `Archive/${round}Photos 2023.zip`;
  const zip = contentFor(random, zipRel, 500 * 1024);
  const zipTime = builder.originTime();
  const zipComplete = builder.arrived(m365, zipRel, zip, zipTime);
  builder.origin(wintermute, `_MAIN_FILES/${zipRel}`, zip, zipTime, { state: 'partial' });
  builder.logEvent(wintermute, `_MAIN_FILES/${zipRel}`, 'semaphore-timeout');
  builder.finding({
    label: label('truncated-with-counterpart'),
    kind: 'partial',
    paths: [builder.writeLanded(wintermute, `_MAIN_FILES/${zipRel}`, prefix(zip, 0.82), transferTime)],
    sources: [wintermute.id, m365.id],
    related: [zipComplete],
    note: 'robocopy stopped at 82%: the head matches the complete copy in mike/_MAIN_FILES (a conflict by path too)',
  });

  // Truncated at 43%; only the Mac's inventory knows the full size.
  const movRel = `videos/${round}screen-recording.mov`;
  const mov = contentFor(random, movRel, 600 * 1024);
  builder.origin(dev, movRel, mov, builder.originTime(), { state: 'partial' });
  builder.outstanding(dev, movRel, 'partial');
  builder.finding({
    label: label('truncated-against-inventory'),
    kind: 'partial',
    paths: [builder.writeLanded(dev, movRel, prefix(mov, 0.43), transferTime)],
    sources: [dev.id],
    origin: [builder.originRef(dev, movRel)],
    note: 'rsync --partial kept 43% under the real name; the inventory has the full size',
  });

  // Right size, zero-filled tail: robocopy pre-allocates, then was interrupted.
  const ledgerRel = `Finance/${round}Ledger 2024.xlsx`;
  const ledger = contentFor(random, ledgerRel, 96 * 1024);
  const ledgerTime = builder.originTime();
  const ledgerComplete = builder.arrived(m365, ledgerRel, ledger, ledgerTime);
  builder.origin(macMain, ledgerRel, ledger, ledgerTime);
  builder.origin(wintermute, `_MAIN_FILES/${ledgerRel}`, ledger, ledgerTime, { state: 'partial' });
  builder.logEvent(wintermute, `_MAIN_FILES/${ledgerRel}`, 'in-use');
  const zeroTailed = Buffer.concat([prefix(ledger, 0.6), Buffer.alloc(ledger.length - Math.floor(ledger.length * 0.6))]);
  builder.finding({
    label: label('zero-filled-tail'),
    kind: 'partial',
    paths: [builder.writeLanded(wintermute, `_MAIN_FILES/${ledgerRel}`, zeroTailed, transferTime)],
    sources: [wintermute.id, m365.id],
    related: [ledgerComplete],
    origin: [builder.originRef(wintermute, `_MAIN_FILES/${ledgerRel}`)],
    note: 'full size, last 40% zeros (robocopy ERROR 32 mid-copy); mtime is the copy time, not the origin one',
  });
}

export function plantCorrupt(builder: ScenarioBuilder, round: string): void {
  const { random } = builder;
  const label = findingLabel('corrupt', round);
  for (const [source, rel, name] of [
    [sources.dev, `billing-api/data/${round}customers.sqlite`, 'sqlite-bit-rot'],
    [sources.wintermute, `Projects/Hosaka/Drawings/${round}site plan.dwg`, 'drawing-bit-rot'],
  ] as const) {
    const original = contentFor(random, rel, 72 * 1024);
    const damaged = Buffer.from(original);
    for (let flip = 0; flip < 8; flip += 1) damaged[random.int(1024, damaged.length - 1)]! ^= 0x5a;
    const mtime = builder.originTime();
    builder.origin(source, rel, original, mtime);
    builder.outstanding(source, rel, 'corrupt');
    builder.finding({
      label: label(name),
      kind: 'corrupt',
      paths: [builder.writeLanded(source, rel, damaged, mtime)],
      sources: [source.id],
      origin: [builder.originRef(source, rel)],
      note: 'same size and mtime as the origin entry, 8 bytes differ',
    });
  }
}

export function plantMissing(builder: ScenarioBuilder, round: string): void {
  const { random } = builder;
  const { dev, macMain, m365, wintermute, icloud } = sources;
  const label = findingLabel('missing', round);
  const entries: [ScenarioSource, string, string, 'eperm' | 'access-denied' | 'cloud-failed' | undefined][] = [
    [dev, `website/src/${round}old-router.ts`, 'dev-file', undefined],
    [dev, `docs/${round}architecture.key`, 'dev-keynote', undefined],
    [macMain, `Personal/${round}Insurance policy.pdf`, 'mac-privacy', 'eperm'],
    [m365, `Clients/Armitage/${round}Statement of work.docx`, 'cloud-throttled', 'cloud-failed'],
    [wintermute, `Projects/Tessier-Ashpool/${round}site-survey.pdf`, 'access-denied', 'access-denied'],
    [wintermute, `Clients/Hosaka/${round}quote.xlsx`, 'windows-file', undefined],
    [icloud, `Documents/${round}Warranty.pdf`, 'icloud-file', undefined],
  ];
  for (const [source, rel, name, event] of entries) {
    builder.origin(source, rel, contentFor(random, rel, rel.endsWith('.ts') ? 3000 : 48 * 1024), builder.originTime(), { state: 'missing' });
    if (event) builder.logEvent(source, rel, event);
    builder.outstanding(source, rel, 'missing');
    const ref = builder.originRef(source, rel);
    builder.missing.push(ref);
    builder.finding({
      label: label(name),
      kind: 'missing',
      paths: [],
      sources: [source.id],
      origin: [ref],
      note: event ? `in the origin inventory, not in the space; the transfer log has the error (${event})` : 'in the origin inventory, not in the space',
    });
  }
}
