/**
 * engine/documents: content-aware views of files for people — the text of Word, PowerPoint and
 * OpenDocument files, Excel cells, PDF pages, pictures (facts, thumbnails, pixel differences),
 * zip listings — and diffs between two versions, read on worker threads within fixed limits.
 * Public surface: the pool, the limits, sniffing (cheap, for the request thread) and the answers.
 */
export { DocumentPool, type DocumentPoolOptions } from './pool.ts';
export { limits } from './limits.ts';
export { DocumentRefused, type Refusal, type RefusalReason } from './refused.ts';
export { sniff, sniffBytes, familyOf, type ContentType, type ContentFamily } from './sniff.ts';
export type * from './types.ts';
