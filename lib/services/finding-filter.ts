/**
 * The findings filter as the web app takes it (query strings, request bodies): the lists, the
 * counts and the bulk decisions share it. The engine's filter (engine/plan) turns it into
 * SQL; bulk decisions run on the server by this filter: the browser never sends ids.
 */
import { z } from 'zod';
// The stages' browser surfaces, not their index.ts: this filter is used in the browser too.
import { findingKinds, type FindingKind } from '../../engine/classify/browser.ts';
import { reviewStates, type FindingFilter as EngineFindingFilter, type ReviewState } from '../../engine/plan/browser.ts';

export { findingKinds, reviewStates, type FindingKind, type ReviewState };

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

/** The engine's filter for this one: folders typed relative to the space become absolute. */
export function engineFilter(space: string, filter: FindingFilter): EngineFindingFilter {
  const absolute = (value: string | undefined) => (value === undefined ? undefined : absolutePrefix(space, value));
  return { ...filter, folder: absolute(filter.folder), keeperUnder: absolute(filter.keeperUnder), othersUnder: absolute(filter.othersUnder) };
}
