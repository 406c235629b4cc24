/** What the document views and diffs answer: plain data, sent from the worker and on to the browser as JSON. */
import type { ImageFacts, PixelComparison } from './image.ts';
import type { Refusal } from './refused.ts';
import type { ContentType } from './sniff.ts';
import type { ZipEntryFacts } from './zip.ts';

export type { ImageFacts, PixelComparison } from './image.ts';
export type { ZipEntryFacts } from './zip.ts';

export type DocumentContent =
  | { format: 'paragraphs'; type: ContentType; paragraphs: string[]; truncated: boolean }
  | { format: 'cells'; type: ContentType; sheets: { name: string; cells: [string, string][] }[]; truncated: boolean }
  | { format: 'pages'; type: ContentType; pages: string[]; pageCount: number; truncated: boolean }
  | { format: 'image'; type: ContentType; facts: ImageFacts }
  | { format: 'entries'; type: ContentType; entries: ZipEntryFacts[]; entryCount: number; truncated: boolean };

export type DocumentView = { status: 'view'; content: DocumentContent } | Refusal;

/** Runs of unchanged, removed and added items (paragraphs, lines), each run's items joined by newlines. */
export interface TextParts {
  parts: { op: 'add' | 'remove' | 'same'; lines: number; text: string }[];
  added: number;
  removed: number;
  truncated: boolean;
}

export interface CellChange {
  sheet: string;
  cell: string;
  /** null: the cell is empty on that side. */
  from: string | null;
  to: string | null;
}

export interface PageChange {
  page: number;
  status: 'same' | 'changed' | 'added' | 'removed';
  /** The page's lines diffed, for changed, added and removed pages. */
  diff?: TextParts;
}

export interface EntryChange {
  name: string;
  from: { size: number; crc32: string } | null;
  to: { size: number; crc32: string } | null;
}

export type Comparison =
  | { format: 'paragraphs'; types: [ContentType, ContentType]; diff: TextParts }
  | {
      format: 'cells';
      types: [ContentType, ContentType];
      /** The first `limits.changes` changed cells, sheet by sheet, row by row. */
      changes: CellChange[];
      changed: number;
      sheetsAdded: string[];
      sheetsRemoved: string[];
      truncated: boolean;
    }
  | { format: 'pages'; types: [ContentType, ContentType]; pages: PageChange[]; pageCounts: [number, number]; truncated: boolean }
  | { format: 'image'; types: [ContentType, ContentType]; facts: [ImageFacts, ImageFacts]; pixels: PixelComparison }
  | { format: 'entries'; types: [ContentType, ContentType]; changes: EntryChange[]; same: number; truncated: boolean };

export type DocumentDiff = { status: 'compared'; comparison: Comparison } | { status: 'too-different'; reason: string } | Refusal;

/** A file the worker reads through a descriptor the request thread opened (and closes once the worker is done). */
export interface OpenedFile {
  fd: number;
  size: number;
  /** The file's name, for the extension where bytes cannot tell (docx vs xlsx before the parts are read). */
  name: string;
}
