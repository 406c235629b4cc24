/**
 * The one filter over open findings and its translation to SQL: bulk decisions (decide, the CLI)
 * and the web app's lists, counts, queues and bulk decisions all select with it. Only constants,
 * types and SQL text here, so the web app's filter schema can share the states in the browser.
 */

export const reviewStates = ['undecided', 'approved', 'rejected', 'deferred', 'applied'] as const;
export type ReviewState = (typeof reviewStates)[number];

export interface FindingFilter {
  /** Only these findings. */
  ids?: string[];
  kind?: string;
  /** A source id (lowercase letters, digits, dashes): findings involving that source. */
  source?: string;
  /** Absolute folder: findings whose common folder is it or lies below it. */
  folder?: string;
  minSize?: number;
  maxSize?: number;
  state?: ReviewState;
  action?: string;
  /** The finding's or the proposal's rule. */
  rule?: string;
  /** Absolute folder the proposed keeper lies under … */
  keeperUnder?: string;
  /** … and every other path under this one (e.g. keeper under mike/, copies under inbox/). */
  othersUnder?: string;
}

/** Every table a filter may read: findings with their proposal and its decision, if any. */
export const findingJoins = `Finding f LEFT JOIN Proposal p ON p.findingId = f.id LEFT JOIN Decision d ON d.decisionKey = p.decisionKey`;

/**
 * WHERE clause over `findingJoins` (f, p, d) with its parameters, and the smallest FROM that
 * serves it (for counts). Only open findings (the latest plan still produces them) ever match.
 * `folderInListOrder`: the folder is tested on each row instead of seeking the folder index, so a
 * page of a folder holding many findings walks the list-order index and stops at the page's end
 * (the folder index would make SQLite join and sort every finding below it first).
 */
export function findingFilterSql(filter: FindingFilter, options: { folderInListOrder?: boolean } = {}): { where: string; params: unknown[]; from: string } {
  const clauses: string[] = [`f.status = 'open'`];
  const params: unknown[] = [];
  if (filter.ids) {
    clauses.push('f.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.ids));
  }
  if (filter.kind) {
    clauses.push('f.kind = ?');
    params.push(filter.kind);
  }
  if (filter.source) {
    // Source ids are [a-z0-9-], so the quoted id matches one array element exactly (and far faster than json_each).
    clauses.push('instr(f.sourcesJson, ?) > 0');
    params.push(JSON.stringify(filter.source));
  }
  if (filter.folder) {
    // The folder or any below it. The range (a seek in the folder index: '0' follows '/' in byte
    // order) holds them and siblings like `Clients-old`, which the second test leaves out. A unary
    // `+` keeps SQLite off the folder index.
    const folder = folderPrefix(filter.folder);
    const column = options.folderInListOrder ? '+f.folder' : 'f.folder';
    clauses.push(`${column} >= ? AND ${column} < ? AND (f.folder = ? OR substr(f.folder, 1, length(?)) = ?)`);
    params.push(folder.slice(0, -1), `${folder.slice(0, -1)}0`, folder.slice(0, -1), folder, folder);
  }
  if (filter.minSize !== undefined) {
    clauses.push('COALESCE(f.size, 0) >= ?');
    params.push(filter.minSize);
  }
  if (filter.maxSize !== undefined) {
    clauses.push('COALESCE(f.size, 0) <= ?');
    params.push(filter.maxSize);
  }
  switch (filter.state) {
    case undefined:
      break;
    case 'undecided':
      clauses.push('d.id IS NULL');
      break;
    case 'applied':
      clauses.push('d.appliedRunId IS NOT NULL');
      break;
    default:
      clauses.push('d.verdict = ? AND d.appliedRunId IS NULL');
      params.push(filter.state);
  }
  if (filter.action) {
    clauses.push('p.action = ?');
    params.push(filter.action);
  }
  if (filter.rule) {
    clauses.push('(p.rule = ? OR f.rule = ?)');
    params.push(filter.rule, filter.rule);
  }
  // Prefixes are measured by SQL's length(), in characters as substr() counts (a JS length counts UTF-16 units).
  if (filter.keeperUnder) {
    clauses.push('substr(p.keeperPath, 1, length(?)) = ?');
    params.push(folderPrefix(filter.keeperUnder), folderPrefix(filter.keeperUnder));
  }
  if (filter.othersUnder) {
    clauses.push(`NOT EXISTS (SELECT 1 FROM json_each(f.pathsJson) o WHERE o.value IS NOT p.keeperPath AND substr(o.value, 1, length(?)) <> ?)`);
    params.push(folderPrefix(filter.othersUnder), folderPrefix(filter.othersUnder));
  }
  const where = clauses.join(' AND ');
  // Counting joins only what the filter reads: a count over the Finding index alone stays fast at 100k rows.
  const from = /\bd\./.test(where) ? findingJoins : /\bp\./.test(where) ? 'Finding f LEFT JOIN Proposal p ON p.findingId = f.id' : 'Finding f';
  return { where, params, from };
}

function folderPrefix(folder: string): string {
  return folder.endsWith('/') ? folder : `${folder}/`;
}
