/**
 * Names that differ only by case or Unicode normalisation ("Report.pdf" / "report.pdf", NFC "é" /
 * NFD "é") are two files on Linux and one on the Mac and Windows clients that sync the space: a
 * step must not create such a twin beside an existing name. Names are folded the way the catalog
 * folds them (Entry.foldKey: NFC, lower case, NFC again).
 *
 * A folder's listing is read once and kept while the folder's mtime stays the one this process
 * last saw (its own additions update both), so many steps into one folder read it once.
 */
import fs from 'node:fs';
import { lstatOrNull } from './files.ts';
import { displayPath, parentOf } from './paths.ts';

const slash = 0x2f;

export function foldedName(name: Buffer): string {
  return displayPath(name).normalize('NFC').toLowerCase().normalize('NFC');
}

interface Listing {
  mtimeNs: bigint;
  /** Folded name → the names in the folder that fold to it. */
  names: Map<string, Buffer[]>;
}

/** Folders whose listings are kept at once (runs touch folders in order, a few at a time). */
const keepAtMost = 256;

export class FolderNames {
  private readonly listings = new Map<string, Listing>();

  /** The existing name beside `target` that differs from its name only by case or normalisation, or null. */
  twinOf(target: Buffer): Buffer | null {
    const dir = parentOf(target);
    const name = target.subarray(target.lastIndexOf(slash) + 1);
    const listing = this.listing(dir);
    const twin = listing?.names.get(foldedName(name))?.find((other) => !other.equals(name));
    return twin ? Buffer.concat([dir, Buffer.from('/'), twin]) : null;
  }

  /** This process created `target`: its folder's listing stays current without a new read. */
  added(target: Buffer): void {
    const dir = parentOf(target);
    const listing = this.listings.get(dir.toString('latin1'));
    if (!listing) return;
    const stat = lstatOrNull(dir);
    if (!stat) return;
    const name = Buffer.from(target.subarray(target.lastIndexOf(slash) + 1));
    const key = foldedName(name);
    listing.names.set(key, [...(listing.names.get(key) ?? []), name]);
    listing.mtimeNs = stat.mtimeNs;
  }

  private listing(dir: Buffer): Listing | null {
    const stat = lstatOrNull(dir);
    if (!stat?.isDirectory()) return null;
    const key = dir.toString('latin1');
    const kept = this.listings.get(key);
    if (kept && kept.mtimeNs === stat.mtimeNs) return kept;
    const names = new Map<string, Buffer[]>();
    for (const name of fs.readdirSync(dir, { encoding: 'buffer' })) {
      const folded = foldedName(name);
      names.set(folded, [...(names.get(folded) ?? []), name]);
    }
    if (this.listings.size >= keepAtMost) this.listings.delete(this.listings.keys().next().value!);
    const listing = { mtimeNs: stat.mtimeNs, names };
    this.listings.set(key, listing);
    return listing;
  }
}
