/**
 * recovered: files fetched into a source's recovery folder (`<layout.recovery>/<source>/`), each
 * matched to the outstanding origin entry it answers — by origin path, then by the inventory's hash
 * where it has one, size + mtime otherwise (weaker evidence, said so). A match rides on the finding
 * that named the entry, whose proposal places it by that finding's rules. A fetched file that
 * answers nothing, or not what the inventory says (other bytes, still truncated, still a stub),
 * becomes a finding of its own with that evidence and is never placed.
 */
import path from 'node:path';
import type { EntryRow } from './catalog.ts';
import { mappedPath } from './layout.ts';
import { icloudStubName, partialNameRule } from './names.ts';
import { contentInSpace, matchOrigin, sameMtime, type OriginMatch } from './origin-match.ts';
import { originVersion, type OriginRow } from './origin-entries.ts';
import { originRowAt } from './outstanding.ts';
import type { ClassifyRun, FindingDraft, RecoverySide } from './run.ts';
import { freePlace } from './staged.ts';
import type { KindEvidence } from './evidence.ts';
import type { OriginTarget, Placement } from './types.ts';

interface Candidate {
  row: EntryRow;
  /** The source whose origin the file was fetched from, and its path relative to that origin. */
  source: string;
  relPath: string;
  state: 'waiting' | 'used' | 'mismatch';
  match?: OriginMatch;
  expected?: OriginRow;
}

/**
 * Matched by hash, or by size + mtime when the inventory has no hash; by size alone only when it
 * has no mtime either (an iCloud stub's plist gives just the size).
 */
function accepted(match: OriginMatch, expected: OriginRow): boolean {
  return match.status === 'hash-match' || match.status === 'size-mtime-match' || (match.status === 'size-match' && expected.mtimeNs === null);
}

/** What a target says of its content when no inventory lists it (nothing when the size is unknown too). */
function expectationOf(target: OriginTarget): OriginRow | undefined {
  if (target.size === null) return undefined;
  return {
    id: 0n,
    sourceId: target.source,
    relPath: target.relPath,
    originPath: target.originPath,
    nfcKey: target.relPath.normalize('NFC'),
    foldKey: target.relPath.normalize('NFC').toLowerCase(),
    size: BigInt(target.size),
    mtimeNs: target.mtimeNs === null ? null : BigInt(target.mtimeNs),
    xxh128: target.hashKind === 'xxh128' ? target.hash : null,
    sha1: target.hashKind === 'sha1' ? target.hash : null,
    md5: target.hashKind === 'md5' ? target.hash : null,
    quickxor: target.hashKind === 'quickxor' ? target.hash : null,
    attrs: null,
    errorCode: null,
  };
}

const fold = (spacePath: string): string => spacePath.normalize('NFC').toLowerCase().normalize('NFC');

export class RecoveryMatcher implements RecoverySide {
  private readonly candidates = new Map<string, Candidate>();
  private readonly byName = new Map<string, string>();
  private waivers: Map<string, NonNullable<OriginTarget['waived']>> | undefined;

  constructor(private readonly run: ClassifyRun) {}

  /** The first pass: claims every entry of the recovery roots; temp files, stubs and unreadable entries are findings now. */
  collect(): void {
    const { catalog } = this.run;
    const roots = catalog.recoverySources();
    if (roots.length === 0) return;
    const partialFolders: string[] = [];
    for (const row of catalog.entries(`e.sourceId IN (${roots.map(() => '?').join(',')})`, ...roots.map((root) => root.id))) {
      this.run.claim(row);
      const source = catalog.source(row.sourceId).recoveryOf!;
      const key = catalog.key(row);
      if (row.path === '') continue;
      if (row.errorCode) {
        this.leftover(row, source, 'recovered-unreadable', { kind: 'unreadable', evidence: { recoveredFrom: source, errorCode: row.errorCode, errorMessage: row.errorMessage } });
        continue;
      }
      if (row.type === 'dir') {
        if (partialNameRule(row.name, 'dir')) partialFolders.push(`${key}/`);
        continue;
      }
      const tempRule = partialFolders.some((prefix) => key.startsWith(prefix)) ? 'rsync-partial-dir' : partialNameRule(row.name, row.type);
      if (tempRule) {
        this.leftover(row, source, 'recovered-temp-file', { kind: 'partial', evidence: { recoveredFrom: source, name: row.name, tool: tempRule } });
        continue;
      }
      if (row.type !== 'file') {
        this.leftover(row, source, 'recovered-not-a-file', { kind: 'conflict', evidence: { recoveredFrom: source, type: row.type } });
        continue;
      }
      const realName = icloudStubName(row.name);
      if (realName !== null) {
        this.leftover(row, source, 'recovered-still-placeholder', { kind: 'placeholder', evidence: { recoveredFrom: source, realName, stub: true } });
        continue;
      }
      const id = `${source}\0${row.path}`;
      this.candidates.set(id, { row, source, relPath: row.path, state: 'waiting' });
      this.byName.set(`${source}\0${row.path.normalize('NFC')}`, id);
    }
  }

  /**
   * The targets of a finding being emitted, each with the fetched copy that answers it (and where
   * that copy goes) or the evidence that the copy there does not match.
   */
  attach(draft: FindingDraft, targets: OriginTarget[]): OriginTarget[] {
    const { catalog } = this.run;
    return targets.map((named) => {
      const waived = this.waiverOf(named);
      const target = waived ? { ...named, waived } : named;
      const candidate = this.find(target);
      if (!candidate || candidate.state === 'used') return target;
      const expected = originRowAt(this.run, target.source, target.relPath) ?? expectationOf(target);
      const match = expected ? matchOrigin(catalog, candidate.row, expected) : undefined;
      if (!expected || !match || !accepted(match, expected)) {
        candidate.state = 'mismatch';
        candidate.match = match;
        candidate.expected = expected;
        return {
          ...target,
          mismatch: { path: catalog.absolutePath(candidate.row), status: match?.status ?? 'no-inventory', evidence: match?.evidence ?? {} },
        };
      }
      candidate.state = 'used';
      catalog.keepHash(candidate.row);
      return {
        ...target,
        recovered: {
          file: catalog.fileRef(candidate.row, { hash: true }),
          match: { status: match.status, strength: match.strength === 'strong' ? 'strong' : 'weak', evidence: match.evidence },
          placement: this.placement(draft, target),
        },
      };
    });
  }

  /** The last pass: fetched files no finding asked for, or that do not match what was asked. */
  finish(): void {
    const { catalog } = this.run;
    for (const candidate of this.candidates.values()) {
      if (candidate.state === 'used') continue;
      if (candidate.state === 'waiting') {
        const origin = originRowAt(this.run, candidate.source, candidate.relPath);
        if (!origin) {
          this.leftover(candidate.row, candidate.source, 'recovered-not-in-inventory', { kind: 'conflict', evidence: { recoveredFrom: candidate.source, relPath: candidate.relPath } });
          continue;
        }
        const match = matchOrigin(catalog, candidate.row, origin);
        const alone = { recoveredFrom: candidate.source, relPath: candidate.relPath };
        if (accepted(match, origin)) {
          // Fetched again, or the space settled the entry meanwhile: the space has it already (the finding's files: the fetched copy alone).
          if (contentInSpace(this.run, origin)) this.leftover(candidate.row, candidate.source, 'recovered-already-in-space', { kind: 'duplicate', evidence: { ...alone, copies: 1, intendedCopies: 0, inodes: 1, match: match.evidence } });
          else this.leftover(candidate.row, candidate.source, 'recovered-not-outstanding', { kind: 'conflict', evidence: { ...alone, match: match.evidence } });
          continue;
        }
        candidate.match = match;
        candidate.expected = origin;
      }
      this.mismatch(candidate);
    }
  }

  /**
   * Whether an apply run placed the fetched copy of this entry (into the conflicts folder, say) and
   * it is still there. A fetched file that did not match went to the archive instead: that is no placement.
   */
  placedAt(origin: OriginRow): boolean {
    const { config } = this.run.catalog;
    const moved = this.run.catalog.movedFile(path.join(config.space, config.layout.recovery, origin.sourceId, origin.relPath));
    if (!moved || moved.size !== origin.size || moved.path.startsWith(`${path.join(config.space, config.layout.archive)}/`)) return false;
    return !origin.xxh128 || moved.hash === null || moved.hash === origin.xxh128.toLowerCase();
  }

  /** The owner's decision not to recover an entry (`reconcile waive`), if one is in force. */
  private waiverOf(target: OriginTarget): OriginTarget['waived'] {
    if (!this.waivers) {
      const rows = this.run.catalog.db.prepare('SELECT sourceId, relPath, reason, decidedBy, decidedAt FROM Waiver WHERE revokedAt IS NULL').all() as {
        sourceId: string;
        relPath: string;
        reason: string;
        decidedBy: string;
        decidedAt: string;
      }[];
      this.waivers = new Map(rows.map((row) => [`${row.sourceId}\0${row.relPath}`, { reason: row.reason, decidedBy: row.decidedBy, decidedAt: row.decidedAt }]));
    }
    return this.waivers.get(`${target.source}\0${target.relPath}`);
  }

  private find(target: OriginTarget): Candidate | undefined {
    const id = this.candidates.has(`${target.source}\0${target.relPath}`)
      ? `${target.source}\0${target.relPath}`
      : this.byName.get(`${target.source}\0${target.relPath.normalize('NFC')}`);
    return id === undefined ? undefined : this.candidates.get(id);
  }

  /**
   * Where a matched copy goes, by the finding's rules: an overwritten version to the run's conflicts
   * folder; onto the stand-in it answers (a placeholder, a partial or a corrupt copy, archived first;
   * an iCloud stub's real name); else to the entry's place in the landing, mapped into the layout.
   * A place a live file (or a name equal up to case/NFC) holds now is never taken: the copy then
   * goes to the conflicts folder beside it, for a person to compare.
   */
  private placement(draft: FindingDraft, target: OriginTarget): Placement {
    const { catalog } = this.run;
    const { space, layout } = catalog.config;
    if (target.reason === 'overwritten-version') return { to: 'conflicts', why: 'overwritten-version' };
    const [standIn] = draft.files;
    if (draft.files.length === 1 && standIn!.spacePath !== null) {
      const realPath = draft.kind === 'placeholder' && draft.rule === 'icloud-stub' ? draft.evidence.realPath : undefined;
      if (realPath === undefined) return { to: 'place', path: standIn!.path, ...(standIn!.pathB64 ? { pathB64: standIn!.pathB64 } : {}), spacePath: standIn!.spacePath, replaces: 'stand-in' };
      const realSpacePath = path.relative(space, realPath);
      return this.take(realSpacePath) ? { to: 'place', path: realPath, spacePath: realSpacePath, replaces: 'stand-in' } : { to: 'conflicts', why: 'place-taken', takenBy: realPath };
    }
    const source = catalog.source(target.source);
    const landed = [source.spaceRoot ?? '', target.relPath].filter((part) => part !== '').join('/');
    const place = mappedPath(landed, layout) ?? landed;
    if (source.spaceRoot !== null && this.take(place)) return { to: 'place', path: `${space}/${place}`, spacePath: place, replaces: 'nothing' };
    return { to: 'conflicts', why: 'place-taken', takenBy: `${space}/${place}` };
  }

  /** Reserves a free place in the layout for one placement of this plan (two fetched files never race for one name). */
  private take(spacePath: string): boolean {
    const key = fold(spacePath);
    if (this.run.plannedPlaces.has(key) || !freePlace(this.run, spacePath)) return false;
    this.run.plannedPlaces.add(key);
    return true;
  }

  private mismatch(candidate: Candidate): void {
    const { row, match, expected } = candidate;
    if (!expected || !match) {
      this.leftover(row, candidate.source, 'recovered-not-in-inventory', { kind: 'conflict', evidence: { recoveredFrom: candidate.source, relPath: candidate.relPath } });
      return;
    }
    const evidence = {
      recoveredFrom: candidate.source,
      relPath: candidate.relPath,
      expected: { size: Number(expected.size), mtimeNs: expected.mtimeNs === null ? null : String(expected.mtimeNs), originPath: expected.originPath },
      status: match.status,
      match: match.evidence,
    };
    if (match.status === 'unreadable') this.leftover(row, candidate.source, 'recovered-unreadable', { kind: 'unreadable', evidence });
    else if (row.size === 0n && expected.size > 0n) this.leftover(row, candidate.source, 'recovered-still-placeholder', { kind: 'placeholder', evidence });
    else if (row.size < expected.size) this.leftover(row, candidate.source, 'recovered-truncated', { kind: 'partial', evidence });
    else if (match.status === 'hash-mismatch' && sameMtime(row, expected)) this.leftover(row, candidate.source, 'recovered-other-bytes', { kind: 'corrupt', evidence: { ...evidence, origin: originVersion(expected) } });
    else this.leftover(row, candidate.source, 'recovered-differs-from-inventory', { kind: 'conflict', evidence });
  }

  /** A finding about one fetched file alone: its proposal archives it or leaves it for a person, never places it. */
  private leftover(row: EntryRow, source: string, rule: string, found: KindEvidence): void {
    const { catalog } = this.run;
    if (row.type === 'file' && !row.errorCode) catalog.keepHash(row);
    this.run.emit({ ...found, rule, files: [catalog.fileRef(row, { hash: row.type === 'file' && !row.errorCode })], sources: [source] });
  }
}
