/**
 * What the plan proposes for each finding, under the configured priority rules. Nothing is ever
 * deleted: losers are moved to the archive or conflicts folders; what the space cannot fix itself
 * (placeholders, missing, corrupt, overwritten versions) is fetched from its origin
 * (`reconcile recover`), and once a fetched copy matched, placed by the same rules.
 */
import type { Config } from '../config/index.ts';
import { mappingOf, originVersionsOf, type FileRef, type Finding, type FindingOf, type OriginTarget, type RecoveryReason } from '../classify/index.ts';
import { digest } from '../classify/ids.ts';
import { displacedPrefix, moveOperation, placeOperation, withAppleDoubles, type Operation } from './operations.ts';
import { chooseKeeper, type SourceTraits } from './priority.ts';

export const proposalActions = [
  'keep',
  'move-to-canonical',
  'archive-duplicate',
  'route-to-conflicts',
  'quarantine-artifact',
  'archive-trash',
  'needs-redownload',
  'no-action',
] as const;
export type ProposalAction = (typeof proposalActions)[number];

/** An origin entry to fetch (`reconcile recover`): `relPath` is relative to the source's origin root. */
export interface Redownload {
  source: string;
  relPath: string;
  reason: RecoveryReason;
}

export interface Proposal {
  id: string;
  findingId: string;
  action: ProposalAction;
  rule: string;
  reason: string;
  keeperPath: string | null;
  operations: Operation[];
  decisionKey: string;
  redownload: Redownload[];
}

export interface ProposeContext {
  config: Config;
  traits: ReadonlyMap<string, SourceTraits>;
}

/**
 * Content + paths + what is proposed: a decision keyed by it holds across rescans until one of the
 * files changes — or until the plan would do something else with them (another keeper after a
 * priority change), which a person has not seen.
 */
export function decisionKey(finding: Finding, proposal: Pick<Proposal, 'action' | 'keeperPath' | 'operations'>): string {
  const files = finding.files.map((file) => `${file.pathB64 ?? file.path}|${file.size}|${file.mtimeNs}|${file.hash ?? ''}`);
  // Operations may involve files beyond the finding's own (the complete copy that replaces a partial).
  const plan = [
    proposal.action,
    proposal.keeperPath ?? '',
    ...proposal.operations.map(({ op, from, fromB64, to, toB64, expect }) => `${op}|${fromB64 ?? from}|${toB64 ?? to}|${expect.size}|${expect.mtimeNs}|${expect.hash ?? ''}`),
  ];
  return digest([finding.kind, ...finding.paths, ...files, String(finding.size ?? ''), finding.hash ?? '', ...plan], 32);
}

export function propose(finding: Finding, context: ProposeContext): Proposal {
  const proposed = { keeperPath: null, operations: [], redownload: [], ...decide(finding, context) };
  const decided = { ...proposed, operations: withAppleDoubles(finding.id, finding, proposed.operations) };
  return { id: finding.id, findingId: finding.id, ...decided, decisionKey: decisionKey(finding, decided) };
}

type Decided = Pick<Proposal, 'action' | 'rule' | 'reason'> & Partial<Pick<Proposal, 'keeperPath' | 'operations' | 'redownload'>>;

function decide(finding: Finding, context: ProposeContext): Decided {
  const kind: string = finding.kind;
  const movable = finding.files.every((file) => file.spacePath !== null);
  const alone = fetchedAloneOf(finding);
  if (alone) return fetchedAlone(alone, context);
  switch (finding.kind) {
    case 'duplicate':
      return movable ? duplicate(finding, context) : outside();
    case 'conflict':
      return conflict(finding, context);
    case 'artifact':
      return movable ? quarantine(finding, context, `${finding.rule}: content-free OS or sync-tool litter, kept in the archive`) : outside();
    case 'trash':
      return movable ? trash(finding, context) : outside();
    case 'appledouble':
      return { action: 'no-action', rule: finding.rule, reason: `a resource fork whose file ${String(finding.evidence.dataFile)} is not in the space: it stays until the file arrives, or a person decides` };
    case 'partial':
      if (finding.evidence.counterpart && movable) {
        return replaced(finding, context, `${finding.rule}: unfinished copy; the complete one is ${String(finding.evidence.counterpart)}`);
      }
      if (!finding.evidence.origin && !finding.evidence.outstanding && movable) return quarantine(finding, context, `${finding.rule}: transfer temp file`);
      return fromOrigin(finding, context, `${finding.rule}: the space holds an unfinished copy`);
    case 'placeholder':
      if (finding.evidence.counterpart && movable) {
        return replaced(finding, context, `${finding.rule}: an empty stand-in; the content is at ${String(finding.evidence.counterpart)}`);
      }
      return fromOrigin(finding, context, `${finding.rule}: only a stand-in arrived, not the content`);
    case 'corrupt':
      return fromOrigin(finding, context, 'same size and mtime as the origin but different content');
    case 'missing':
      return fromOrigin(finding, context, 'in the origin inventory, nowhere in the space');
    case 'name-collision':
      if (finding.files.length < 2 || finding.evidence.claimedByOtherFinding || !movable || finding.files.some((file) => file.intended)) {
        return { action: 'no-action', rule: finding.rule, reason: 'a person renames it (another finding may already move one of these; archive sets stay as they are)' };
      }
      return routeToConflicts(finding, finding.files, context, 'names collide on Mac/Windows clients');
    case 'unreadable':
      return { action: 'no-action', rule: finding.rule, reason: 'fix the permissions (or the disk) and rescan' };
    case 'staged':
      return movable ? staged(finding, context) : outside();
  }
  throw new Error(`no proposal for kind ${kind}`);
}

function outside(): Decided {
  return { action: 'no-action', rule: 'outside-space', reason: 'some paths are outside the space; nothing is moved there' };
}

function duplicate(finding: FindingOf<'duplicate'>, context: ProposeContext): Decided {
  const { config } = context;
  const working = finding.files.filter((file) => !file.intended);
  if (working.length <= 1) {
    return {
      action: 'keep',
      rule: 'archive-set',
      reason: 'the other copies sit in archive sets, where duplicates are intended',
      keeperPath: working[0]?.path ?? null,
    };
  }
  const { keeper, rule } = chooseKeeper(working, config.priority, context.traits);
  const operations = working
    .filter((file) => file.path !== keeper.path)
    .map((file) => moveOperation(finding.id, file, config.space, displacedPrefix(config.space, config.layout, 'archive'), { keeper }));
  const mapping = keeper.spacePath === null ? null : mappingOf(keeper.spacePath, config.layout);
  const target = mapping === null ? null : mapping.to + keeper.spacePath!.slice(mapping.from.length);
  const freePlaces = finding.evidence.freePlaces ?? {};
  if (mapping !== null && freePlaces[keeper.path] === `${config.space}/${target}`) {
    operations.push(intoLayout(finding, keeper, mapping, context));
    return { action: 'move-to-canonical', rule, reason: `keeper chosen by ${rule}; it moves to its place in the layout, the other copies to the archive`, keeperPath: keeper.path, operations };
  }
  return { action: 'archive-duplicate', rule, reason: `keeper chosen by ${rule}; the other working copies move to the archive`, keeperPath: keeper.path, operations };
}

function conflict(finding: FindingOf<'conflict'>, context: ProposeContext): Decided {
  if (originVersionsOf(finding.evidence).some((version) => !version.inSpace)) {
    return fromOrigin(finding, context, 'a version exists only at the origin (a later copy overwrote it); fetch it into the conflicts folder');
  }
  // Copies in archive sets stay where they are: they are versions to compare, never moved.
  const working = finding.files.filter((file) => !file.intended);
  if (working.length < 2 || !finding.files.every((file) => file.spacePath !== null)) {
    return { action: 'keep', rule: finding.rule, reason: 'every version is in the space; a person compares them', keeperPath: working[0]?.path ?? finding.files[0]?.path ?? null };
  }
  return routeToConflicts(finding, working, context, 'different content at one logical path; both versions are kept');
}

/** A clean staged file moves to its mapped place (classify made sure that place is free). */
function staged(finding: FindingOf<'staged'>, context: ProposeContext): Decided {
  const file = finding.files[0]!;
  const { mapping } = finding.evidence;
  return {
    action: 'move-to-canonical',
    rule: finding.rule,
    reason: `staged in ${mapping.from}, which maps to ${mapping.to}; its place there is free`,
    keeperPath: file.path,
    operations: [intoLayout(finding, file, mapping, context)],
  };
}

function intoLayout(finding: Finding, file: FileRef, mapping: { from: string; to: string }, context: ProposeContext): Operation {
  const { space } = context.config;
  return moveOperation(finding.id, file, space, `${space}/${mapping.to}`, { strip: mapping.from.length });
}

function routeToConflicts(finding: Finding, files: FileRef[], context: ProposeContext, why: string): Decided {
  const { config } = context;
  const { keeper, rule } = chooseKeeper(files, config.priority, context.traits);
  const prefix = displacedPrefix(config.space, config.layout, 'conflicts');
  return {
    action: 'route-to-conflicts',
    rule,
    reason: `${why}; ${rule} picks the version that stays, the others move to the conflicts folder`,
    keeperPath: keeper.path,
    // By path: a finding that lists the kept file twice must not displace it (its other entry).
    operations: files.filter((file) => file.path !== keeper.path).map((file) => moveOperation(finding.id, file, config.space, prefix, { keeper })),
  };
}

/** Litter and transfer temp files hold no content of record: nothing is kept in their place. */
function quarantine(finding: Finding, context: ProposeContext, reason: string, keeper?: FileRef): Decided {
  const { config } = context;
  const prefix = displacedPrefix(config.space, config.layout, 'archive');
  return {
    action: 'quarantine-artifact',
    rule: finding.rule,
    reason,
    operations: finding.files.map((file) => moveOperation(finding.id, file, config.space, prefix, { keeper })),
  };
}

/** The files a person deleted on the origin, still user files: the whole folder moves to the archive as one decision. */
function trash(finding: FindingOf<'trash'>, context: ProposeContext): Decided {
  const { uniqueFiles, folder } = finding.evidence;
  const unique = uniqueFiles ? `${uniqueFiles} of them hold content found nowhere else in the space` : 'every one of them has a copy elsewhere in the space';
  return {
    ...quarantine(finding, context, ''),
    action: 'archive-trash',
    reason: `trash folder ${folder ?? ''} with ${finding.files.length} file(s); ${unique}: restore what is still wanted before approving, the rest moves to the archive together`,
  };
}

/**
 * An unfinished or empty copy goes to the archive, relying on the complete copy (its keeper); when
 * classify named the complete copy that belongs in its place (evidence.replacement), that copy
 * moves there right after — in this order, each with its own preconditions.
 */
function replaced(finding: FindingOf<'partial' | 'placeholder'>, context: ProposeContext, reason: string): Decided {
  const { replacement, counterpartFile } = finding.evidence;
  // The stand-in goes only while the complete copy it falls short of is still there.
  const complete = replacement ?? counterpartFile;
  const archived = quarantine(finding, context, reason, complete);
  const [standIn] = finding.files;
  if (!replacement || !standIn || finding.files.length !== 1) return archived;
  return {
    ...archived,
    action: 'move-to-canonical',
    reason: `${reason}; it moves to the archive and the complete copy takes its place`,
    keeperPath: replacement.path,
    operations: [...archived.operations!, placeOperation(finding.id, replacement, standIn)],
  };
}

/** How a fetched copy was matched, in words for the card: hash equal, or size + mtime only (weaker). */
function matchWords(target: OriginTarget): string {
  const match = target.recovered!.match;
  if (match.status === 'hash-match') return `${String(match.evidence.hashKind ?? 'hash')} equal to the inventory's`;
  if (match.status === 'size-mtime-match') return 'same size and mtime as the inventory (no hash to compare)';
  return 'same size as the inventory says (no hash or mtime to compare)';
}

/**
 * What the space lacks comes from the origin: fetch it (`reconcile recover` lists it), and once a
 * fetched copy matched, place it by the finding's rules — an overwritten version to the conflicts
 * folder, a copy onto the stand-in it answers (archived first), a missing file to its place. A
 * finding whose content is elsewhere in the space (no target) archives its incomplete copy.
 */
function fromOrigin(finding: FindingOf<'conflict' | 'placeholder' | 'partial' | 'corrupt' | 'missing'>, context: ProposeContext, reason: string): Decided {
  const { config } = context;
  const named = finding.evidence.outstanding;
  const targets = named ?? [];
  const movable = finding.files.length > 0 && finding.files.every((file) => file.spacePath !== null);
  if (named && named.length === 0) {
    if (movable && finding.kind !== 'conflict') return quarantine(finding, context, `${reason}; its complete content is elsewhere in the space, so this copy goes to the archive`);
    return { action: 'no-action', rule: finding.rule, reason: `${reason}; its content is elsewhere in the space, nothing to fetch` };
  }
  const pending = targets.filter((target) => !target.recovered && !target.waived).map(({ source, relPath, reason: why }) => ({ source, relPath, reason: why }));
  const fetched = targets.filter((target) => target.recovered);
  const waived = targets.filter((target) => target.waived && !target.recovered);
  const waivedWords = waived.map((target) => `${target.relPath} waived by ${target.waived!.decidedBy}: ${target.waived!.reason}`).join('; ');
  if (fetched.length === 0 && pending.length === 0 && waived.length > 0) return { action: 'no-action', rule: finding.rule, reason: `${reason}; not recovered: ${waivedWords}` };
  if (fetched.length === 0) return { action: 'needs-redownload', rule: finding.rule, reason: `${reason}${waived.length > 0 ? `; ${waivedWords}` : ''}`, redownload: pending };
  const operations: Operation[] = [];
  const said: string[] = [];
  let action: ProposalAction = 'move-to-canonical';
  let keeperPath: string | null = null;
  for (const target of fetched) {
    const { file, placement } = target.recovered!;
    const from = `recovered from ${target.originPath} (${matchWords(target)})`;
    if (placement.to === 'conflicts') {
      operations.push(moveOperation(finding.id, file, config.space, displacedPrefix(config.space, config.layout, 'conflicts')));
      action = 'route-to-conflicts';
      keeperPath = finding.files[0]?.path ?? null;
      said.push(
        placement.why === 'overwritten-version'
          ? `${from}; it goes to the conflicts folder beside the version that stayed`
          : `${from}; its place ${placement.takenBy} holds a live file now, so it goes to the conflicts folder for a person to compare`,
      );
      continue;
    }
    if (placement.replaces === 'stand-in') {
      for (const standIn of finding.files) operations.push(moveOperation(finding.id, standIn, config.space, displacedPrefix(config.space, config.layout, 'archive')));
    }
    operations.push(placeOperation(finding.id, file, placement));
    keeperPath = placement.path;
    said.push(`${from}; it takes its place at ${placement.path}${placement.replaces === 'stand-in' ? ' and the stand-in moves to the archive' : ''}`);
  }
  return {
    action,
    rule: finding.rule,
    reason: `${reason}; ${said.join('; ')}${pending.length > 0 ? `; ${pending.length} more still to fetch` : ''}`,
    keeperPath,
    operations: dedupe(operations),
    redownload: pending,
  };
}

/** Several fetched versions may archive one stand-in: its move once. */
function dedupe(operations: Operation[]): Operation[] {
  const seen = new Set<string>();
  return operations.filter((op) => !seen.has(op.id) && (seen.add(op.id), true));
}

/** The kinds a fetched file judged alone is filed under (engine/classify/recovered.ts, rules recovered-*). */
type FetchedAlone = FindingOf<'duplicate' | 'conflict' | 'placeholder' | 'partial' | 'corrupt' | 'unreadable'>;

/** The finding when it is about a fetched file alone. */
function fetchedAloneOf(finding: Finding): FetchedAlone | null {
  if (!finding.rule.startsWith('recovered-')) return null;
  switch (finding.kind) {
    case 'duplicate':
    case 'conflict':
    case 'placeholder':
    case 'partial':
    case 'corrupt':
    case 'unreadable':
      return finding;
    default:
      return null;
  }
}

/**
 * A fetched file that answers no outstanding entry as the inventory describes it: never placed. One
 * that falls short (other bytes, still truncated, still a stub) goes to the archive — kept, and out of
 * the way, since rsync and rclone skip a file of the same size and time when fetching again.
 */
function fetchedAlone(finding: FetchedAlone, context: ProposeContext): Decided {
  const source = finding.evidence.recoveredFrom ?? finding.sources[0] ?? '';
  const again = `then fetch it again (reconcile recover --source ${source}); if the file changed at the origin since its inventory, import a fresh one first`;
  switch (finding.rule) {
    case 'recovered-temp-file':
      return quarantine(finding, context, 'an unfinished fetch left this temp file; it goes to the archive (the fetch run again writes the whole file)');
    case 'recovered-already-in-space':
      return quarantine(finding, context, 'fetched again, but the space already holds this content; the extra copy goes to the archive');
    case 'recovered-still-placeholder':
      return quarantine(finding, context, `the fetched file is still a stand-in (a stub or 0 bytes), not the content: it goes to the archive; make the file local at the origin, ${again}`);
    case 'recovered-truncated':
      return quarantine(finding, context, `the fetched file is shorter than the origin inventory says (a fetch that stopped part-way): it goes to the archive; ${again}`);
    case 'recovered-other-bytes':
    case 'recovered-differs-from-inventory':
      return quarantine(finding, context, `the fetched file's content differs from what the origin inventory says: it goes to the archive, not into place; ${again}`);
    case 'recovered-not-in-inventory':
      return { action: 'no-action', rule: finding.rule, reason: 'no origin inventory lists this fetched file, so nothing says where it belongs or what it should hold; a person moves it, or imports a fresh inventory' };
    default:
      return { action: 'no-action', rule: finding.rule, reason: 'a fetched file that answers no outstanding origin entry; a person looks at it in the recovery folder' };
  }
}
