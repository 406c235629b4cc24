/**
 * Origin accounting: every entry of the latest origin inventories is present in the space (its
 * content confirmed now: by the conservation check for an XXH128, by a digest read now or kept
 * from an unchanged file for a cloud hash, by size for an inventory without hashes), or it is
 * outstanding — the origin still holds it and the space lacks it — with the reason, or waived by
 * the owner (accounted for, listed with the waiver). Where the
 * classifier explained an entry (an overwritten version, a stub, a partial) that finding names the
 * reason; otherwise the file found at the entry's path does. An entry its path does not hold is
 * still present when its content is elsewhere in the space — where a run moved it too, such as a
 * conflict version an approved decision put in the run's conflicts folder. Paged by origin entry id.
 */
import path from 'node:path';
import { CatalogView, counterpart, originVersionsOf, parseStoredEvidence, preferredHash, sameMtime, sameSizeAndName, type EntryRow, type OriginRow } from '../classify/index.ts';
import type { Db } from '../db/index.ts';
import { Sample, type VerifyContext } from './context.ts';
import { statOf, type FileStat, type ReadKind } from './reader.ts';
import type { OutstandingEntry, OutstandingReason, SourceAccount, WaivedEntry } from './types.ts';

export interface OriginsResult {
  entries: number;
  present: number;
  weak: number;
  sources: SourceAccount[];
}

const pageSize = 2000;

const latest = 'o.isDir = 0 AND o.inventoryId IN (SELECT MAX(id) FROM Inventory GROUP BY sourceId)';

const reasonOfKind: Record<string, OutstandingReason> = {
  conflict: 'overwritten-version',
  placeholder: 'placeholder',
  partial: 'partial',
  corrupt: 'corrupt',
  missing: 'missing',
  unreadable: 'unreadable',
};

const remedies: Partial<Record<OutstandingReason, string>> = {
  unreadable: 'the space copy could not be read: fix its permissions (or the disk) and rescan',
};

type Verdict = { present: true; weak: boolean } | { present: false; reason: OutstandingReason };

/** What the classifier said of origin entries and landed paths: the findings of the latest plan. */
class FindingsIndex {
  private readonly byKey = new Map<string, OutstandingReason>();
  private readonly unreadableFolders: string[] = [];

  constructor(db: Db) {
    const rows = db
      .prepare(`SELECT id, kind, pathsJson, sourcesJson, evidenceJson FROM Finding WHERE status = 'open' AND kind IN (${Object.keys(reasonOfKind).map((kind) => `'${kind}'`).join(', ')})`)
      .all() as { id: string; kind: string; pathsJson: string; sourcesJson: string; evidenceJson: string }[];
    for (const row of rows) {
      const reason = reasonOfKind[row.kind]!;
      const { kind, evidence } = parseStoredEvidence(row.id, row.kind, row.evidenceJson);
      const sources = JSON.parse(row.sourcesJson) as string[];
      if (kind === 'missing') {
        for (const source of sources) if (evidence.relPath) this.byKey.set(`rel:${source}\0${evidence.relPath}`, reason);
        continue;
      }
      if (kind === 'conflict') {
        // Only the versions the space lost are outstanding; the landed version of a conflict is present.
        for (const version of originVersionsOf(evidence)) if (!version.inSpace && version.source && version.originPath) this.byKey.set(`origin:${version.source}\0${version.originPath}`, reason);
        continue;
      }
      if (kind === 'unreadable') {
        for (const file of evidence.files) if (file.type === 'dir') this.unreadableFolders.push(`${file.path}/`);
      }
      const origin = 'origin' in evidence ? evidence.origin : undefined;
      if (typeof origin === 'object' && origin.source && origin.originPath) this.byKey.set(`origin:${origin.source}\0${origin.originPath}`, reason);
      const realPath = 'realPath' in evidence ? evidence.realPath : undefined;
      for (const landed of [...(JSON.parse(row.pathsJson) as string[]), ...(realPath ? [realPath] : [])]) this.byKey.set(`path:${landed}`, reason);
    }
  }

  reasonFor(origin: OriginRow, expectedAt: string): OutstandingReason | undefined {
    if (this.unreadableFolders.some((folder) => expectedAt.startsWith(folder))) return 'unreadable';
    return this.byKey.get(`origin:${origin.sourceId}\0${origin.originPath}`) ?? this.byKey.get(`rel:${origin.sourceId}\0${origin.relPath}`) ?? this.byKey.get(`path:${expectedAt}`);
  }
}

/** The owner's waivers in force (`reconcile waive`), by source and origin-relative path. */
function activeWaivers(db: Db): Map<string, { reason: string; decidedBy: string; decidedAt: string }> {
  const rows = db.prepare('SELECT sourceId, relPath, reason, decidedBy, decidedAt FROM Waiver WHERE revokedAt IS NULL').all() as {
    sourceId: string;
    relPath: string;
    reason: string;
    decidedBy: string;
    decidedAt: string;
  }[];
  return new Map(rows.map((row) => [`${row.sourceId}\0${row.relPath}`, row]));
}

interface OriginPageRow extends OriginRow {
  contentPresent: bigint | null;
}

/**
 * Accounts for every origin entry; `onOutstanding` receives each outstanding one (all of them, not
 * a sample: the recovery lists are built from it).
 */
export async function accountOrigins(context: VerifyContext, onOutstanding?: (entry: OutstandingEntry) => void): Promise<OriginsResult> {
  const { db, config } = context;
  const catalog = new CatalogView(db, config);
  const findings = new FindingsIndex(db);
  const waivers = activeWaivers(db);
  const accounts = new Map<string, SourceAccount & { samples: Sample<OutstandingEntry>; waivedSamples: Sample<WaivedEntry> }>();
  const result: OriginsResult = { entries: 0, present: 0, weak: 0, sources: [] };
  const account = (source: string) => {
    let found = accounts.get(source);
    if (!found) {
      const empty = { files: 0, bytes: 0 };
      found = { source, entries: 0, present: 0, weak: 0, outstanding: { ...empty }, byReason: {}, sample: [], samples: new Sample(), waived: { ...empty }, waivedSample: [], waivedSamples: new Sample() };
      accounts.set(source, found);
    }
    return found;
  };
  const settle = (origin: OriginRow, verdict: Verdict) => {
    const source = account(origin.sourceId);
    if (verdict.present) {
      result.present += 1;
      source.present += 1;
      if (verdict.weak) {
        result.weak += 1;
        source.weak += 1;
      }
      return;
    }
    const size = Number(origin.size);
    const entry: OutstandingEntry = { source: origin.sourceId, relPath: origin.relPath, originPath: origin.originPath, size, reason: verdict.reason, ...(remedies[verdict.reason] ? { remedy: remedies[verdict.reason] } : {}) };
    const waiver = waivers.get(`${origin.sourceId}\0${origin.relPath}`);
    if (waiver) {
      source.waived.files += 1;
      source.waived.bytes += size;
      source.waivedSamples.add({ ...entry, waiver: waiver.reason, decidedBy: waiver.decidedBy, decidedAt: waiver.decidedAt });
      return;
    }
    source.outstanding.files += 1;
    source.outstanding.bytes += size;
    const tally = (source.byReason[verdict.reason] ??= { files: 0, bytes: 0 });
    tally.files += 1;
    tally.bytes += size;
    source.samples.add(entry);
    onOutstanding?.(entry);
  };
  const page = db
    .prepare(
      `SELECT o.id, o.sourceId, o.relPath, o.originPath, o.nfcKey, o.foldKey, o.size, o.mtimeNs, o.xxh128, o.sha1, o.md5, o.quickxor, c.present AS contentPresent
         FROM OriginEntry o LEFT JOIN verify_content c ON c.hash = lower(o.xxh128)
        WHERE ${latest} AND o.id > ? ORDER BY o.id LIMIT ${pageSize}`,
    )
    .safeIntegers(true);
  // Looks elsewhere wait for the reads at the entries' paths (a read is never queued from another's
  // answer), a page's worth at a time so a space lacking most of an inventory stays in bounded memory.
  const lookElsewhere: (() => Promise<void>)[] = [];
  const settleElsewhere = async () => {
    await context.reader.drain();
    for (const look of lookElsewhere.splice(0)) await look();
  };
  for (let after = 0n; ; ) {
    const rows = page.all(after) as OriginPageRow[];
    if (rows.length === 0) break;
    after = rows.at(-1)!.id;
    for (const origin of rows) {
      result.entries += 1;
      account(origin.sourceId).entries += 1;
      await judgeOrigin(context, catalog, findings, origin, (verdict) => settle(origin, verdict), (look) => lookElsewhere.push(look));
    }
    if (lookElsewhere.length >= pageSize) await settleElsewhere();
  }
  await settleElsewhere();
  await context.reader.drain();
  result.sources = [...accounts.values()]
    .sort((a, b) => (a.source < b.source ? -1 : 1))
    .map(({ samples, waivedSamples, ...source }) => ({ ...source, sample: samples.items, waivedSample: waivedSamples.items }));
  return result;
}

/**
 * Decides one origin entry, at once or once a read it needs is answered; an entry its path does
 * not hold is handed to `later` to look for elsewhere once every read at a path is answered.
 */
async function judgeOrigin(
  context: VerifyContext,
  catalog: CatalogView,
  findings: FindingsIndex,
  origin: OriginPageRow,
  settle: (verdict: Verdict) => void,
  later: (look: () => Promise<void>) => void,
): Promise<void> {
  const wanted = preferredHash(origin);
  if (wanted?.kind === 'xxh128' && origin.contentPresent === 1n) return settle({ present: true, weak: false });
  // A fetched copy a run placed (an overwritten version into the conflicts folder, say) answers it.
  const { space, layout } = context.config;
  const recovered = Buffer.from(path.join(space, layout.recovery, origin.sourceId, origin.relPath));
  const archive = `${path.join(space, layout.archive)}/`;
  return movedOn(context, recovered, origin, wanted, archive, (held) => (held ? settle({ present: true, weak: wanted === undefined }) : judgeLanded(context, catalog, findings, origin, wanted, settle, later)));
}

/** Decides an origin entry by the file that landed for it, or its content elsewhere in the space. */
async function judgeLanded(
  context: VerifyContext,
  catalog: CatalogView,
  findings: FindingsIndex,
  origin: OriginPageRow,
  wanted: ReturnType<typeof preferredHash>,
  settle: (verdict: Verdict) => void,
  later: (look: () => Promise<void>) => void,
): Promise<void> {
  const expectedAt = `${catalog.source(origin.sourceId).root}/${origin.relPath}`;
  const known = findings.reasonFor(origin, expectedAt);
  const row = counterpart(catalog, origin);
  const outstanding = (fallback: OutstandingReason) =>
    later(() => elsewhere(context, catalog, origin, wanted, row, (found) => settle(found ? { present: true, weak: wanted === undefined } : { present: false, reason: known ?? fallback })));
  // A symlink arrives as a symlink: its size is its target's length, as the origin lists it.
  if (row?.type === 'symlink') {
    const link = statOf(catalog.rawPath(row));
    if (link && !link.isFile && link.size === origin.size) return settle({ present: true, weak: true });
  }
  if (!row || row.type !== 'file') {
    return movedOn(context, Buffer.from(expectedAt), origin, wanted, null, (held) => (held ? settle({ present: true, weak: wanted === undefined }) : outstanding('missing')));
  }
  if (row.errorCode) return outstanding('unreadable');
  const at = whereNow(context, catalog, row);
  if (!at.stat || !at.stat.isFile) return outstanding('missing');
  const size = at.stat.size;
  if (size !== origin.size) return outstanding(size === 0n ? 'placeholder' : size < origin.size ? 'partial' : 'overwritten-version');
  if (!wanted) return settle({ present: true, weak: true });
  const mismatch = () => outstanding(sameMtime(at.stat!, origin) ? 'corrupt' : 'overwritten-version');
  if (wanted.kind === 'xxh128' && at.hash !== undefined) return at.hash === wanted.value ? settle({ present: true, weak: false }) : mismatch();
  await digestAt(context, at.raw, at.stat, wanted.kind === 'xxh128' ? 'full' : wanted.kind, (value) => {
    if (value === null) outstanding('unreadable');
    else if (value === wanted.value) settle({ present: true, weak: false });
    else mismatch();
  });
}

/**
 * Where the landed file is now: at its path, or where runs moved it. `hash` is its content when
 * known without reading (unchanged since the scan, or confirmed by the operations check).
 */
function whereNow(context: VerifyContext, catalog: CatalogView, row: EntryRow): { raw: Buffer; stat: FileStat | null; hash?: string } {
  const raw = catalog.rawPath(row);
  const moved = context.moves.movedTo(raw);
  // A complete copy that took an archived stand-in's place is read where it is.
  if (moved && !context.moves.refilled(raw, moved.ord)) {
    const stat = statOf(moved.finalRaw);
    return { raw: moved.finalRaw, stat, ...(context.moves.heldAt(moved.ord) !== null && moved.expectHash ? { hash: moved.expectHash } : {}) };
  }
  const stat = statOf(raw);
  const same = stat !== null && stat.dev === row.dev && stat.ino === row.ino && stat.size === row.size && stat.mtimeNs === row.mtimeNs;
  return { raw, stat, ...(same && row.fullHash ? { hash: row.fullHash } : {}) };
}

/** A digest of the file now: kept from an earlier read of it unchanged, else read on the workers. */
async function digestAt(context: VerifyContext, raw: Buffer, stat: FileStat, kind: ReadKind, answer: (value: string | null) => void): Promise<void> {
  const kept = context.reader.keptDigest(stat, kind);
  if (kept !== undefined) return answer(kept);
  await context.reader.submit(raw, stat, kind, (result) => answer('value' in result ? result.value : null));
}

/**
 * Did a run move the file at `fromRaw` (a landed conflict loser into the conflicts folder, a file
 * into the layout, a fetched copy to its place) and does it still hold the entry's content where
 * it ended, outside `notUnder`? An XXH128 the operations check confirmed is taken; else read now.
 */
async function movedOn(
  context: VerifyContext,
  fromRaw: Buffer,
  origin: OriginRow,
  wanted: ReturnType<typeof preferredHash>,
  notUnder: string | null,
  // A further judgement (the landed file) may follow: awaited when answered at once, else the reader's drain waits for its reads.
  answer: (held: boolean) => void | Promise<void>,
): Promise<void> {
  const moved = context.moves.movedTo(fromRaw);
  const stat = moved ? statOf(moved.finalRaw) : null;
  if (!moved || !stat?.isFile || stat.size !== origin.size) return answer(false);
  if (notUnder !== null && moved.finalRaw.toString().startsWith(notUnder)) return answer(false);
  if (!wanted) return answer(true);
  if (wanted.kind === 'xxh128' && context.moves.heldAt(moved.ord) !== null && moved.expectHash) return answer(moved.expectHash === wanted.value);
  await digestAt(context, moved.finalRaw, stat, wanted.kind === 'xxh128' ? 'full' : wanted.kind, (value) => void answer(value === wanted.value));
}

/**
 * The entry's path does not hold its content: is it elsewhere in the space, where it is now? Same
 * size and name, confirmed by the inventory's hash kind when it has one (an XXH128 the
 * conservation check would have found already).
 */
async function elsewhere(
  context: VerifyContext,
  catalog: CatalogView,
  origin: OriginRow,
  wanted: ReturnType<typeof preferredHash>,
  atPath: EntryRow | undefined,
  answer: (found: boolean) => void,
): Promise<void> {
  if (wanted?.kind === 'xxh128') return answer(false);
  // Removed entries too: a rescan after a run no longer finds a copy the run moved (whereNow follows it).
  // The same name recurs in many folders (a yearly Invoice.docx): copies at the entry's own
  // relative path, under any source, are looked at first, so the bound does not cut them off.
  const ownPath = (row: EntryRow) => (row.path === origin.relPath || row.path.endsWith(`/${origin.relPath}`) ? 0 : 1);
  const candidates = sameSizeAndName(catalog, origin, { removed: true })
    .filter((row) => atPath === undefined || catalog.key(row) !== catalog.key(atPath))
    .sort((a, b) => ownPath(a) - ownPath(b))
    .slice(0, 8);
  const present = candidates.map((row) => whereNow(context, catalog, row)).filter((candidate) => candidate.stat?.isFile && candidate.stat.size === origin.size);
  if (!wanted || present.length === 0) return answer(present.length > 0);
  let waiting = present.length;
  let found = false;
  for (const candidate of present) {
    await digestAt(context, candidate.raw, candidate.stat!, wanted.kind, (value) => {
      found ||= value === wanted.value;
      if (--waiting === 0) answer(found);
    });
  }
}
