/**
 * The clean bulk: files that arrived intact and must never be flagged. Also the near misses a
 * careless classifier would flag: same-size files with equal heads or equal heads and tails,
 * 0-byte files whose origin is empty too, and names that only look unusual.
 */
import type { ScenarioBuilder } from './builder.ts';
import { clientFolder, codeName, contentFor, documentName, photoName, typicalSize } from './content.ts';
import { sources, type ScenarioSource } from './layout.ts';

interface Area {
  /** Share of the clean files that go here. */
  weight: number;
  landing: string;
  folders: (builder: ScenarioBuilder) => string;
  name: (builder: ScenarioBuilder) => string;
  place: (builder: ScenarioBuilder, rel: string, content: Buffer, mtime: number) => string;
}

const year = (builder: ScenarioBuilder): number => builder.random.int(2019, 2026);

/** Lands on one source. */
const landOn = (source: ScenarioSource) => (builder: ScenarioBuilder, rel: string, content: Buffer, mtime: number) =>
  builder.arrived(source, rel, content, mtime);

/** mike/_MAIN_FILES: most files are in both inventories, some only in the cloud or only on the Mac. */
function landMainFiles(builder: ScenarioBuilder, rel: string, content: Buffer, mtime: number): string {
  const roll = builder.random.next();
  const spacePath = builder.arrived(roll < 0.85 ? sources.m365 : sources.macMain, rel, content, mtime);
  if (roll < 0.6) builder.origin(sources.macMain, rel, content, mtime);
  return spacePath;
}

const areas: Area[] = [
  {
    weight: 0.3,
    landing: sources.dev.landing,
    folders: (b) => `${b.random.pick(['reconcile-notes', 'website', 'billing-api', 'scripts'])}/${b.random.pick(['src', 'src/lib', 'test', 'docs'])}`,
    name: (b) => codeName(b.random),
    place: landOn(sources.dev),
  },
  {
    weight: 0.25,
    landing: sources.m365.landing,
    folders: (b) => b.random.pick(['Contracts', `Finance/${year(b)}`, `Clients/${clientFolder(b.random)}`, 'Presentations', 'Notes', 'Personal']),
    name: (b) => documentName(b.random),
    place: landMainFiles,
  },
  {
    weight: 0.2,
    landing: sources.wintermute.landing,
    folders: (b) => b.random.pick([`Projects/${clientFolder(b.random)}`, `Projects/${clientFolder(b.random)}/Drawings`, `Scans/${year(b)}`]),
    name: (b) => documentName(b.random),
    place: landOn(sources.wintermute),
  },
  {
    weight: 0.1,
    landing: sources.icloud.landing,
    folders: (b) => b.random.pick(['Documents', 'Desktop', `Photos/${year(b)}`]),
    name: (b) => (b.random.chance(0.4) ? photoName(b.random) : documentName(b.random)),
    place: landOn(sources.icloud),
  },
  {
    weight: 0.15,
    landing: sources.archives.landing,
    folders: (b) => b.random.pick(['2019-laptop-backup/Documents', '2019-laptop-backup/Photos', '2021-nas-export/Projects', '2021-nas-export/Photos']),
    name: (b) => (b.random.chance(0.4) ? photoName(b.random) : documentName(b.random)),
    place: landOn(sources.archives),
  },
];

/**
 * `count` clean files spread over the sources; `round` (as for planted problems) gives each unit
 * of scale folders of its own, so no scale runs out of names (a source's code tree holds only
 * some 60,000 distinct ones).
 */
export function plantCleanBulk(builder: ScenarioBuilder, count: number, round: string): void {
  for (const area of areas) {
    const target = Math.round(count * area.weight);
    for (let placed = 0, attempts = 0; placed < target; attempts += 1) {
      if (attempts === target * 20) throw new Error(`scenario bug: no free name for a clean file in ${area.landing} after ${attempts} draws`);
      const rel = `${area.folders(builder)}/${round}${area.name(builder)}`;
      if (!builder.isFree(`${area.landing}/${rel}`)) continue;
      const content = contentFor(builder.random, rel, typicalSize(builder.random, rel));
      builder.clean.push(area.place(builder, rel, content, builder.originTime()));
      placed += 1;
    }
  }
}

/** Clean files that resemble problems; `round` keeps repeated rounds apart. */
export function plantNearMisses(builder: ScenarioBuilder, round: string): void {
  const { random } = builder;
  const dev = sources.dev;
  const keep = (spacePath: string) => builder.clean.push(spacePath);

  // 0-byte files whose origin is empty too: not placeholders, and not duplicates of each other.
  for (const folder of ['website/src', 'billing-api/test', 'scripts']) {
    keep(builder.arrived(dev, `${folder}/${round}.gitkeep`, Buffer.alloc(0), builder.originTime()));
  }

  // Same size, same first 40 KiB, different tail: a head hash alone would call them duplicates.
  const shared = random.bytes(40 * 1024);
  for (const name of ['export-a.bin', 'export-b.bin']) {
    keep(builder.arrived(dev, `billing-api/fixtures/${round}${name}`, Buffer.concat([shared, random.bytes(8 * 1024)]), builder.originTime()));
  }
  // Same size (over 1 MiB, so the tail stage runs), same head and tail, different middle: only a
  // full hash tells them apart.
  const head = random.bytes(64 * 1024);
  const tail = random.bytes(64 * 1024);
  for (const name of ['snapshot-a.bin', 'snapshot-b.bin']) {
    keep(builder.arrived(dev, `billing-api/fixtures/${round}${name}`, Buffer.concat([head, random.bytes(1152 * 1024), tail]), builder.originTime()));
  }

  // A symlink next to its target: recorded, never followed, nothing to flag.
  const releaseTime = builder.originTime();
  keep(builder.arrived(dev, `scripts/${round}release.sh`, contentFor(random, 'release.sh', 1200), releaseTime));
  keep(builder.symlinkArrived(dev, `scripts/${round}release`, 'release.sh', releaseTime));

  // A 255-byte name (the Linux limit; 170 UTF-16 units, so SMB holds it too).
  const stem = 'Protokoll der Jahresversammlung — Übersicht über alle Beschlüsse';
  const fill = 255 - Buffer.byteLength(`${stem}.pdf`);
  const longName = `${stem}${' ä'.repeat(Math.floor(fill / 3))}${'_'.repeat(fill % 3)}.pdf`;
  keep(builder.arrived(sources.m365, `Notes/${round}${longName}`, contentFor(random, longName, 6000), builder.originTime()));

  // Names that look odd but are fine everywhere.
  const oddNames: [ScenarioSource, string][] = [
    [dev, `website/${round}.env.example`],
    [dev, `scripts/${round}naïve-bayes.py`],
    [sources.m365, `Notes/${round}Q&A notes.md`],
    [sources.m365, `Personal/${round}Résumé.pdf`],
    [sources.wintermute, `Projects/${round}Budget (old version, Q3).xlsx`],
  ];
  for (const [source, rel] of oddNames) {
    const content = contentFor(random, rel, typicalSize(random, rel));
    const mtime = builder.originTime();
    keep(builder.arrived(source, rel, content, mtime));
    if (source === sources.m365) builder.origin(sources.macMain, rel, content, mtime);
  }
}
