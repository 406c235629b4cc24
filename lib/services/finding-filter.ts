/**
 * The one filter over findings the lists, the counts and the bulk decisions share, and its
 * translation to SQL. Bulk decisions run on the server by this filter: the browser never sends ids.
 */
import { z } from 'zod';
// types.ts holds only constants and types, so this filter stays usable in the browser.
import { findingKinds, type FindingKind } from '../../engine/classify/types.ts';

export { findingKinds, type FindingKind };

export const reviewStates = ['undecided', 'approved', 'rejected', 'deferred', 'applied'] as const;
export type ReviewState = (typeof reviewStates)[number];

const prefix = z
  .string()
  .trim()
  .max(1024)
  .refine((value) => !value.includes('\0'), 'must not contain NUL')
  .transform((value) => (value === '' ? undefined : value))
  .optional();
const byteCount = z.coerce.number().int().min(0).optional();

export const findingFilterSchema = z.object({
  kind: z.enum(findingKinds).optional(),
  source: z.string().trim().max(100).regex(/^[a-z0-9-]*$/, 'a source id').transform((value) => value || undefined).optional(),
  /** Folder prefix, relative to the space or absolute. */
  folder: prefix,
  minSize: byteCount,
  maxSize: byteCount,
  state: z.enum(reviewStates).optional(),
  action: z.string().trim().max(64).transform((value) => value || undefined).optional(),
  rule: z.string().trim().max(128).transform((value) => value || undefined).optional(),
  /** The proposed keeper lies under this folder … */
  keeperUnder: prefix,
  /** … and every other path under this one (e.g. keeper under mike/, copies under inbox/). */
  othersUnder: prefix,
});
export type FindingFilter = z.infer<typeof findingFilterSchema>;
/** The filter as a client builds it (before parsing). */
export type FindingFilterInput = z.input<typeof findingFilterSchema>;

/** Absolute form of a folder prefix typed relative to the space, always ending in '/'. */
export function absolutePrefix(space: string, value: string): string {
  const absolute = value.startsWith('/') ? value : `${space.replace(/\/+$/, '')}/${value}`;
  return absolute.endsWith('/') ? absolute : `${absolute}/`;
}

/**
 * WHERE clause over `Finding f LEFT JOIN Proposal p LEFT JOIN Decision d`, with its parameters.
 * Only open findings (the latest plan still produces them) are ever listed or decided.
 */
export function filterSql(space: string, filter: FindingFilter): { where: string; params: unknown[]; from: string } {
  const clauses: string[] = [`f.status = 'open'`];
  const params: unknown[] = [];
  const startsWith = (column: string, value: string) => {
    clauses.push(`substr(${column}, 1, ?) = ?`);
    params.push(value.length, value);
  };
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
    const folder = absolutePrefix(space, filter.folder);
    clauses.push('(f.folder = ? OR substr(f.folder, 1, ?) = ?)');
    params.push(folder.slice(0, -1), folder.length, folder);
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
  if (filter.keeperUnder) startsWith('p.keeperPath', absolutePrefix(space, filter.keeperUnder));
  if (filter.othersUnder) {
    const others = absolutePrefix(space, filter.othersUnder);
    clauses.push(
      `NOT EXISTS (SELECT 1 FROM json_each(f.pathsJson) o WHERE o.value IS NOT p.keeperPath AND substr(o.value, 1, ?) != ?)`,
    );
    params.push(others.length, others);
  }
  const where = clauses.join(' AND ');
  // Counting joins only what the filter reads: a count over the Finding index alone stays fast at 100k rows.
  const from = /\bd\./.test(where) ? findingJoins : /\bp\./.test(where) ? 'Finding f LEFT JOIN Proposal p ON p.findingId = f.id' : 'Finding f';
  return { where, params, from };
}

export const findingJoins = `Finding f LEFT JOIN Proposal p ON p.findingId = f.id LEFT JOIN Decision d ON d.decisionKey = p.decisionKey`;
