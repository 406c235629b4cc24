/**
 * The owner-scale benchmark tree as pure functions of (seed, slot): which file a slot of a source
 * holds, its size, time, content id and planted problem. Workers write disjoint folders from it
 * without talking to each other, and any slot can name the file another slot copies (a duplicate,
 * a conflicting version, a truncated copy) without reading it.
 *
 * Four sources land in one space, as on motoko: the Mac's code (rsync), _MAIN_FILES from Microsoft
 * 365 (rclone), the Windows PC's folders with its own copy of _MAIN_FILES (robocopy, mapped onto
 * mike/), and an iCloud Drive capture. Rates of problems, per slot of the source:
 *
 * - duplicates: the PC's _MAIN_FILES copy matches M365 for 80 % of its files (45 % of the PC's
 *   slots), 10 % of the iCloud slots copy an M365 file, 1.5 % of the code slots copy another;
 * - conflicts: 12 % of the PC's _MAIN_FILES copy (same path, other content);
 * - placeholders: 0.4 % of M365 files landed as 0 bytes, 3 % of the PC's _MAIN_FILES copy and
 *   0.3 % of its other files (Files-On-Demand), 2 % of the iCloud slots are `.icloud` stubs;
 * - partials: 5 % of the PC's _MAIN_FILES copy truncated, 0.2 % of the code left an rsync temp file;
 * - litter: `.DS_Store` in 60 % of the Mac's folders, `Thumbs.db` and `desktop.ini` in 15 % of
 *   the PC's folders; AppleDouble `._` files beside 1 % of the code (kept with their files, no finding);
 * - missing: 0.3 % of M365 and 0.1 % of the code listed by the origin only; corrupt: 0.02 % of the
 *   code; case twins: 0.05 % of the code.
 *
 * Shares of the slots: code 33 %, M365 46 %, the PC 9 % (every file of its own is staged, to be
 * mapped into mike/: a finding each), iCloud 12 %. At 2M slots that makes about 250k findings.
 *
 * Every content starts with a 16-byte header naming its content id, then bytes from a shared
 * random pool: two files share content only where the model says they do.
 */
import { transferTime } from '../engine/scenario/builder.ts';
import { appleDouble, icloudStub } from '../engine/scenario/formats.ts';
import { sources as scenarioSources, type ScenarioSource } from '../engine/scenario/layout.ts';

export type SourceKey = 'dev' | 'm365' | 'wintermute' | 'icloud';
export const sourceKeys: readonly SourceKey[] = ['dev', 'm365', 'wintermute', 'icloud'];

export interface TreeSource {
  key: SourceKey;
  /** Id, landing, origin and inventory format, as the demo scenario declares them. */
  scenario: ScenarioSource;
  share: number;
  /** The inventory carries content hashes (xxh128, or QuickXorHash for the cloud listing). */
  hashed: boolean;
}

export const treeSources: Record<SourceKey, TreeSource> = {
  dev: { key: 'dev', scenario: scenarioSources.dev, share: 0.33, hashed: true },
  m365: { key: 'm365', scenario: scenarioSources.m365, share: 0.46, hashed: true },
  wintermute: { key: 'wintermute', scenario: scenarioSources.wintermute, share: 0.09, hashed: true },
  icloud: { key: 'icloud', scenario: scenarioSources.icloud, share: 0.12, hashed: false },
};

export const FILES_PER_FOLDER = 20;
/** Share of the PC's slots that hold its copy of _MAIN_FILES. */
const MIRROR_SHARE = 0.45;
/** Content variants of one slot (the content id is slot × 8 + variant). */
const VARIANT = { main: 0, conflict: 1, litter: 2, twin: 3, appleDouble: 4, thumbs: 5 } as const;

export type Problem = 'duplicate' | 'conflict' | 'placeholder' | 'partial' | 'artifact' | 'missing' | 'corrupt' | 'name-collision';

/** A file written into the space, under its source's landing. */
export interface SpaceFile {
  rel: string;
  /** What it holds: the content `contentId` of `size` bytes, cut to `length` (placeholders: 0). */
  contentId: number;
  size: number;
  length: number;
  mtimeSec: number;
  /** Corrupt copy: eight bytes flipped. */
  flipped?: boolean;
  /** Literal bytes (litter, stubs) instead of generated content. */
  literal?: 'ds-store' | 'apple-double' | 'thumbs-db' | 'desktop-ini' | 'icloud-stub';
  /** For an iCloud stub: the real file's name and size, which its plist carries. */
  stubOf?: { name: string; size: number };
}

/** An origin-inventory entry: the content the origin host had at `rel`. */
export interface OriginFile {
  rel: string;
  contentId: number;
  size: number;
  mtimeSec: number;
  /** The host could not read it (cloud-only): listed without a hash. */
  dataless?: boolean;
  literal?: SpaceFile['literal'];
}

export interface Slot {
  space: SpaceFile[];
  origin: OriginFile[];
  problems: Problem[];
  /** Content id this slot copies (a planted duplicate group is one copied content id). */
  copies?: number;
}

export interface TreeModel {
  seed: number;
  slots: Record<SourceKey, number>;
  meanBytes: number;
}

export function treeModel(files: number, meanBytes: number, seed: number): TreeModel {
  const slots = Object.fromEntries(sourceKeys.map((key) => [key, Math.max(FILES_PER_FOLDER, Math.round(files * treeSources[key].share))])) as Record<SourceKey, number>;
  return { seed, slots, meanBytes };
}

/** A uniform number in [0, 1) from the seed, a source, a slot and a purpose (a murmur3-style mix). */
function unit(model: TreeModel, key: SourceKey, index: number, salt: number): number {
  let h = Math.imul(model.seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(sourceKeys.indexOf(key) + 1, 0xc2b2ae35) ^ Math.imul(salt + 7, 0x27d4eb2f);
  h = Math.imul(h ^ index, 0x165667b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

const pick = <T>(items: readonly T[], at: number): T => items[Math.floor(at * items.length)]!;

function contentId(model: TreeModel, key: SourceKey, index: number, variant: number): number {
  let offset = 0;
  for (const other of sourceKeys) {
    if (other === key) break;
    offset += model.slots[other];
  }
  return (offset + index) * 8 + variant;
}

function size(model: TreeModel, key: SourceKey, index: number): number {
  // Mostly small, exponential around the mean; one file in 3,000 between 1 and 8 MiB (the tail stage reads those).
  if (unit(model, key, index, 5) < 1 / 3000) return (1 << 20) + Math.floor(unit(model, key, index, 6) * 7 * (1 << 20));
  return Math.max(64, Math.min(4 << 20, Math.round(-Math.log(1 - unit(model, key, index, 6)) * model.meanBytes)));
}

function originTime(model: TreeModel, key: SourceKey, index: number): number {
  return transferTime - 3 * 86400 - Math.floor(unit(model, key, index, 7) * 6 * 365 * 86400);
}

const clients = ['Armitage', 'Hosaka', 'Maas Biolabs', 'Sense Net', 'Tessier-Ashpool', 'Villa Straylight', 'Zion Cluster'];
const words = ['Invoice', 'Contract', 'Budget', 'Forecast', 'Minutes', 'Proposal', 'Quote', 'Receipt', 'Review', 'Roadmap', 'Statement', 'Summary', 'Survey', 'Timeline', 'Report'];
const codeWords = ['auth', 'billing', 'cache', 'config', 'export', 'import', 'index', 'mailer', 'parser', 'queue', 'router', 'session', 'store', 'sync', 'upload', 'worker'];
const documentExtensions = ['pdf', 'pdf', 'docx', 'xlsx', 'pptx', 'jpg', 'txt', 'md'];
const codeExtensions = ['ts', 'ts', 'tsx', 'js', 'json', 'py', 'md', 'png', 'css'];

/** Folder of a slot, relative to its source's landing; 20 slots share one. */
function folder(model: TreeModel, key: SourceKey, index: number): string {
  const f = Math.floor(index / FILES_PER_FOLDER);
  const at = (salt: number) => unit(model, key, f, 100 + salt);
  const leaf = f.toString(36);
  switch (key) {
    case 'dev':
      return `${pick(['reconcile-notes', 'website', 'billing-api', 'scripts', 'ml-experiments', 'infra'], at(1))}/${pick(['src', 'src/lib', 'test', 'docs', 'assets'], at(2))}/${pick(codeWords, at(3))}-${leaf}`;
    case 'm365':
      return `${pick(['Clients', 'Finance', 'Projects', 'Personal', 'Presentations', 'Notes'], at(1))}/${pick(clients, at(2))}/${2019 + Math.floor(at(3) * 8)}/${pick(words, at(4))} ${leaf}`;
    case 'wintermute':
      return `${pick(['Projects', 'Scans', 'Drawings', 'Downloads'], at(1))}/${pick(clients, at(2))}/${pick(words, at(3))} ${leaf}`;
    case 'icloud':
      return `${pick(['Documents', 'Desktop', 'Photos'], at(1))}/${2019 + Math.floor(at(2) * 8)}/${leaf}`;
  }
}

function name(model: TreeModel, key: SourceKey, index: number): string {
  const at = (salt: number) => unit(model, key, index, 200 + salt);
  const id = index.toString(36);
  if (key === 'dev') return `${pick(codeWords, at(1))}-${pick(codeWords, at(2))}-${id}.${pick(codeExtensions, at(3))}`;
  if (key === 'icloud' && at(1) < 0.5) return `IMG_${id}.jpg`;
  // Some Mac names arrive decomposed (NFD), as macOS hands them to rsync.
  const stem = key === 'icloud' && at(4) < 0.02 ? 'Résumé'.normalize('NFD') : pick(words, at(2));
  return `${2019 + Math.floor(at(5) * 8)}-${String(1 + Math.floor(at(6) * 12)).padStart(2, '0')} ${stem} ${pick(clients, at(3))} ${id}.${pick(documentExtensions, at(7))}`;
}

const relOf = (model: TreeModel, key: SourceKey, index: number) => `${folder(model, key, index)}/${name(model, key, index)}`;

type BaseRole = 'clean' | 'copy' | 'conflict' | 'partial' | 'placeholder' | 'missing' | 'corrupt' | 'temp-partial' | 'case-twin' | 'stub';

/** The role a slot's own draw gives it (a copy whose original is not clean falls back to clean). */
function baseRole(model: TreeModel, key: SourceKey, index: number): BaseRole {
  const u = unit(model, key, index, 1);
  switch (key) {
    case 'm365':
      return u < 0.004 ? 'placeholder' : u < 0.007 ? 'missing' : 'clean';
    case 'wintermute': {
      if (index >= mirrorSlots(model)) return u < 0.003 ? 'placeholder' : 'clean';
      const v = unit(model, key, index, 2);
      return v < 0.8 ? 'copy' : v < 0.92 ? 'conflict' : v < 0.97 ? 'partial' : 'placeholder';
    }
    case 'dev':
      return u < 0.015 ? 'copy' : u < 0.017 ? 'temp-partial' : u < 0.0172 ? 'corrupt' : u < 0.0182 ? 'missing' : u < 0.0187 ? 'case-twin' : 'clean';
    case 'icloud':
      return u < 0.1 ? 'copy' : u < 0.12 ? 'stub' : 'clean';
  }
}

const mirrorSlots = (model: TreeModel) => Math.floor(model.slots.wintermute * MIRROR_SHARE);

/**
 * The slot in [from, from + count) that slot `index` copies: a bijection (multiplication by a prime
 * larger than any count), so no two slots copy the same file.
 */
function partner(model: TreeModel, index: number, from: number, count: number): number {
  return from + Number((BigInt(index) * 2_654_435_761n + BigInt(model.seed)) % BigInt(count));
}

/** The file, origin entries and planted problems of one slot. */
export function slot(model: TreeModel, key: SourceKey, index: number): Slot {
  const out: Slot = { space: [], origin: [], problems: [] };
  const own = { rel: relOf(model, key, index), contentId: contentId(model, key, index, VARIANT.main), size: size(model, key, index), mtimeSec: originTime(model, key, index) };
  const present = (file: Omit<SpaceFile, 'length'> & { length?: number }) => out.space.push({ length: file.size, ...file });
  let role = baseRole(model, key, index);
  // The M365 file a copying slot of the PC or iCloud stands for; a code file another code slot copies.
  let original: { key: SourceKey; index: number } | undefined;
  // The PC's copy and iCloud's copies take M365 files from separate halves: no M365 file is both
  // copied whole to iCloud and in conflict with the PC (the conflict would claim it).
  const half = Math.floor(model.slots.m365 / 2);
  if (key === 'wintermute' && index < mirrorSlots(model)) original = { key: 'm365', index: partner(model, index, 0, half) };
  if (key === 'icloud' && role === 'copy') original = { key: 'm365', index: partner(model, index, half, model.slots.m365 - half) };
  if (key === 'dev' && role === 'copy') {
    original = { key: 'dev', index: partner(model, index, 0, model.slots.dev) };
    if (original.index === index || folder(model, 'dev', original.index) === folder(model, 'dev', index)) original = undefined;
  }
  if (original && baseRole(model, original.key, original.index) !== 'clean') original = undefined;
  if (!original && (role === 'copy' || role === 'conflict' || (key === 'wintermute' && index < mirrorSlots(model)))) role = 'clean';

  const source = original && { ...ownOf(model, original.key, original.index) };
  switch (role) {
    case 'clean':
      present(own);
      out.origin.push(own);
      break;
    case 'copy': {
      // Paths of their own by construction: the partner of each slot is a different file.
      const rel =
        key === 'wintermute' ? `_MAIN_FILES/${source!.rel}` : key === 'icloud' ? `Documents/Work/${source!.rel}` : `${folder(model, key, index)}/${name(model, original!.key, original!.index)}`;
      const copy = { ...source!, rel };
      present(copy);
      out.origin.push(copy);
      out.problems.push('duplicate');
      out.copies = source!.contentId;
      break;
    }
    case 'conflict': {
      // The PC's older edit of the same file: other bytes, a slightly different size, older.
      const version = { rel: `_MAIN_FILES/${source!.rel}`, contentId: contentId(model, key, index, VARIANT.conflict), size: Math.max(64, Math.round(source!.size * (0.9 + 0.2 * unit(model, key, index, 3)))), mtimeSec: source!.mtimeSec - 86400 * (1 + Math.floor(unit(model, key, index, 4) * 90)) };
      present(version);
      out.origin.push(version);
      out.problems.push('conflict');
      break;
    }
    case 'partial': {
      // robocopy stopped part-way: the head of the M365 file; the PC's inventory has it whole.
      const whole = { ...source!, rel: `_MAIN_FILES/${source!.rel}` };
      present({ ...whole, length: Math.max(1, Math.floor(whole.size * (0.43 + 0.39 * unit(model, key, index, 3)))), mtimeSec: transferTime });
      out.origin.push(whole);
      out.problems.push('partial');
      break;
    }
    case 'placeholder': {
      const file = key === 'wintermute' && source ? { ...source, rel: `_MAIN_FILES/${source.rel}` } : own;
      present({ ...file, length: 0 });
      // The cloud listing still has the hash; a Files-On-Demand file was dataless on the PC.
      out.origin.push(key === 'm365' ? file : { ...file, dataless: true });
      out.problems.push('placeholder');
      break;
    }
    case 'missing':
      out.origin.push(own);
      out.problems.push('missing');
      break;
    case 'corrupt':
      present({ ...own, flipped: true });
      out.origin.push(own);
      out.problems.push('corrupt');
      break;
    case 'temp-partial': {
      // A killed rsync left `.name.XXXXXX` with the head of the file; a later run completed it.
      present(own);
      out.origin.push(own);
      const slash = own.rel.lastIndexOf('/');
      // mkstemp's letters and digits (an upper-case one first, as the classifier expects one).
      const token = Array.from({ length: 6 }, (_, at) => pick([...(at === 0 ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' : 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')], unit(model, key, index, 20 + at))).join('');
      present({ ...own, rel: `${own.rel.slice(0, slash)}/.${own.rel.slice(slash + 1)}.${token}`, length: Math.max(1, Math.floor(own.size * 0.37)), mtimeSec: transferTime });
      out.problems.push('partial');
      break;
    }
    case 'case-twin': {
      // The Mac's case-sensitive volume held both names.
      const slash = own.rel.lastIndexOf('/');
      const twin = { rel: `${own.rel.slice(0, slash)}/${own.rel[slash + 1]!.toUpperCase()}${own.rel.slice(slash + 2)}`, contentId: contentId(model, key, index, VARIANT.twin), size: own.size, mtimeSec: own.mtimeSec + 60 };
      present(own);
      present(twin);
      out.origin.push(own, twin);
      out.problems.push('name-collision');
      break;
    }
    case 'stub': {
      // iCloud kept the file in the cloud: `.Name.icloud` landed, the Mac's inventory lists Name without a hash.
      const slash = own.rel.lastIndexOf('/');
      const stubName = own.rel.slice(slash + 1);
      const stub = { rel: `${own.rel.slice(0, slash)}/.${stubName}.icloud`, contentId: own.contentId, size: 0, mtimeSec: own.mtimeSec, literal: 'icloud-stub' as const, stubOf: { name: stubName, size: own.size } };
      stub.size = literalContent(stub).length;
      present(stub);
      out.origin.push({ ...own, dataless: true });
      out.problems.push('placeholder');
      break;
    }
  }
  // AppleDouble files beside 1 % of the code: written by a copy through SMB, not on the Mac itself.
  // A fork beside its file goes wherever the file goes: no finding of its own.
  if (key === 'dev' && unit(model, key, index, 8) < 0.01) {
    const slash = own.rel.lastIndexOf('/');
    present({ rel: `${own.rel.slice(0, slash)}/._${own.rel.slice(slash + 1)}`, contentId: contentId(model, key, index, VARIANT.appleDouble), size: 4096, mtimeSec: own.mtimeSec, literal: 'apple-double' });
  }
  if (index % FILES_PER_FOLDER === 0) folderLitter(model, key, index, out);
  return out;
}

/** Litter a folder gets once, with its first slot: in the space and (as on the host) in the origin inventory. */
function folderLitter(model: TreeModel, key: SourceKey, index: number, out: Slot): void {
  const f = Math.floor(index / FILES_PER_FOLDER);
  const dir = folder(model, key, index);
  const litter = (rel: string, variant: number, bytes: number, literal: SpaceFile['literal']) => {
    const file = { rel: `${dir}/${rel}`, contentId: contentId(model, key, index, variant), size: bytes, mtimeSec: originTime(model, key, index) + 3600, literal };
    if (literal === 'desktop-ini') file.size = literalContent(file).length;
    out.space.push({ ...file, length: file.size });
    out.origin.push(file);
    out.problems.push('artifact');
  };
  if ((key === 'dev' || key === 'icloud') && unit(model, key, f, 300) < 0.6) litter('.DS_Store', VARIANT.litter, 6148, 'ds-store');
  // The PC's copy of _MAIN_FILES lies in M365's folders: its slots' own folders stay empty.
  if (key === 'wintermute' && index < mirrorSlots(model)) return;
  if (key === 'wintermute' && unit(model, key, f, 301) < 0.15) litter('Thumbs.db', VARIANT.thumbs, 4096 + Math.floor(unit(model, key, f, 302) * 40_000), 'thumbs-db');
  if (key === 'wintermute' && unit(model, key, f, 303) < 0.15) litter('desktop.ini', VARIANT.litter, 0, 'desktop-ini');
}

function ownOf(model: TreeModel, key: SourceKey, index: number): { rel: string; contentId: number; size: number; mtimeSec: number } {
  return { rel: relOf(model, key, index), contentId: contentId(model, key, index, VARIANT.main), size: size(model, key, index), mtimeSec: originTime(model, key, index) };
}

/** Folders (of `key`'s slots) a worker writes: worker `worker` of `workers` takes every workers-th folder. */
export function* slotsOf(model: TreeModel, key: SourceKey, worker: number, workers: number): Generator<number> {
  const folders = Math.ceil(model.slots[key] / FILES_PER_FOLDER);
  for (let f = worker; f < folders; f += workers) {
    const end = Math.min(model.slots[key], (f + 1) * FILES_PER_FOLDER);
    for (let index = f * FILES_PER_FOLDER; index < end; index++) yield index;
  }
}

/** Bytes of the shared pool contents are cut from (random, from the seed). */
export const POOL_BYTES = 64 << 20;

/** A content id's bytes: a 16-byte header naming it, then pool bytes from a place the id picks. */
export function content(file: SpaceFile | OriginFile, pool: Buffer, seed: number): Buffer {
  if (file.literal) return literalContent(file);
  const out = Buffer.allocUnsafe(file.size);
  out.write('RCB1', 0, 'latin1');
  out.writeUInt32LE(seed >>> 0, 4);
  out.writeUInt32LE(file.contentId % 2 ** 32, 8);
  out.writeUInt32LE(Math.floor(file.contentId / 2 ** 32), 12);
  if (file.size > 16) {
    const room = pool.length - file.size;
    let h = Math.imul(file.contentId ^ 0x5bd1e995, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    pool.copy(out, 16, h % room, h % room + file.size - 16);
  } else out.fill(0, 16);
  return out.subarray(0, file.size);
}

/** Litter and stubs: the formats the tools write, each made distinct by its content id. */
function literalContent(file: Pick<SpaceFile, 'literal' | 'contentId' | 'size' | 'stubOf'>): Buffer {
  const id = Buffer.alloc(8);
  id.writeDoubleLE(file.contentId);
  switch (file.literal) {
    case 'ds-store': {
      const out = Buffer.alloc(6148);
      Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]).copy(out, 0);
      id.copy(out, 8);
      return out;
    }
    case 'apple-double': {
      const out = appleDouble();
      id.copy(out, 62); // inside the Finder info entry
      return out;
    }
    case 'thumbs-db': {
      const out = Buffer.alloc(file.size);
      Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(out, 0);
      id.copy(out, 8);
      return out;
    }
    case 'desktop-ini': {
      const hex = id.toString('hex').toUpperCase();
      return Buffer.from(`[.ShellClassInfo]\r\nIconResource=C:\\Windows\\System32\\imageres.dll,-112\r\n[ViewState]\r\nMode=\r\nVid={${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-0000-000000000000}\r\nFolderType=Generic\r\n`);
    }
    case 'icloud-stub':
      return icloudStub(file.stubOf!.name, file.stubOf!.size);
    case undefined:
      throw new Error('not a literal file');
  }
}
