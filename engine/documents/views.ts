/**
 * One view, diff or thumbnail of files the request thread opened: the content type sniffed from
 * the bytes, size limits checked before anything is read whole, then the reader for that type.
 * Runs inside the documents worker (documents.worker.ts).
 */
import { formatBytes } from '../format.ts';
import { readFully } from '../read.ts';
import { diffCells, diffEntries, diffPages, diffSequences } from './diff.ts';
import { comparePixels, imageFacts, imageThumbnail } from './image.ts';
import { limits } from './limits.ts';
import { readParagraphs, readWorkbook } from './office.ts';
import { readPdfText, renderFirstPage } from './pdf.ts';
import { DocumentRefused } from './refused.ts';
import { familyOf, sniff, sniffBytes, sniffContainer, type ContentType } from './sniff.ts';
import type { Comparison, DocumentContent, DocumentDiff, OpenedFile } from './types.ts';
import { BoundedZip } from './zip.ts';

/** The whole file, when it is within `limit` bytes (documents that are parsed from memory: PDFs, pictures). */
function readWhole(file: OpenedFile, limit: number, what: string): Uint8Array {
  if (file.size > limit) throw new DocumentRefused('too-large', `the ${what} is ${formatBytes(file.size)}; ${what}s of up to ${formatBytes(limit)} are read`);
  const bytes = readFully(file.fd, 0, file.size);
  // A plain Uint8Array over the same memory: pdf.js refuses Node's Buffer.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

interface Loaded {
  type: ContentType;
  content: DocumentContent;
  /** The bytes, for pictures (compared pixel by pixel). */
  bytes?: Uint8Array;
}

async function load(file: OpenedFile): Promise<Loaded> {
  const guess = sniff(readFully(file.fd, 0, sniffBytes), file.name, file.size);
  const family = familyOf(guess);
  if (family === 'document' || family === 'spreadsheet' || family === 'archive') {
    if (family !== 'archive' && file.size > limits.documentBytes) {
      throw new DocumentRefused('too-large', `the document is ${formatBytes(file.size)}; documents of up to ${formatBytes(limits.documentBytes)} are read`);
    }
    const zip = await BoundedZip.open(file.fd, { strict: family !== 'archive' });
    try {
      const type = family === 'archive' ? guess : sniffContainer(zip.entries.map((entry) => entry.name), guess);
      if (type === 'xlsx') return { type, content: { format: 'cells', type, ...(await readWorkbook(zip)) } };
      if (type !== 'zip') return { type, content: { format: 'paragraphs', type, ...(await readParagraphs(zip, type)) } };
      return { type, content: { format: 'entries', type, entries: zip.entries, entryCount: zip.entryCount, truncated: zip.truncated } };
    } finally {
      zip.close();
    }
  }
  if (family === 'pdf') {
    const text = await readPdfText(readWhole(file, limits.documentBytes, 'PDF'));
    return { type: guess, content: { format: 'pages', type: guess, ...text } };
  }
  if (family === 'image') {
    const bytes = readWhole(file, limits.imageBytes, 'picture');
    return { type: guess, content: { format: 'image', type: guess, facts: await imageFacts(bytes) }, bytes };
  }
  throw new DocumentRefused('unsupported', `no content view for ${family} files`);
}

export async function viewFile(file: OpenedFile): Promise<DocumentContent> {
  return (await load(file)).content;
}

const tooDifferent = (what: string): DocumentDiff => ({ status: 'too-different', reason: `the versions differ in more than ${limits.changes} ${what}` });

/** The content-aware diff, and for pictures the overlay of differing pixels (a PNG). */
export async function diffFiles(a: OpenedFile, b: OpenedFile): Promise<{ diff: DocumentDiff; overlay?: Buffer }> {
  const left = await load(a);
  const right = await load(b);
  const types: [ContentType, ContentType] = [left.type, right.type];
  const x = left.content;
  const y = right.content;
  if (x.format !== y.format) {
    throw new DocumentRefused('unsupported', `the versions hold different kinds of content (${left.type} and ${right.type})`);
  }
  let comparison: Comparison;
  if (x.format === 'paragraphs' && y.format === 'paragraphs') {
    const diff = diffSequences(x.paragraphs, y.paragraphs, x.truncated || y.truncated);
    if (!diff) return { diff: tooDifferent('paragraphs') };
    comparison = { format: 'paragraphs', types, diff };
  } else if (x.format === 'cells' && y.format === 'cells') {
    comparison = { format: 'cells', types, ...diffCells(x.sheets, y.sheets), truncated: x.truncated || y.truncated };
  } else if (x.format === 'pages' && y.format === 'pages') {
    const pages = diffPages(x.pages, y.pages);
    if (!pages) return { diff: tooDifferent('lines') };
    comparison = { format: 'pages', types, pages, pageCounts: [x.pageCount, y.pageCount], truncated: x.truncated || y.truncated };
  } else if (x.format === 'image' && y.format === 'image') {
    const { comparison: pixels, overlay } = await comparePixels(left.bytes!, left.type, right.bytes!, right.type);
    return { diff: { status: 'compared', comparison: { format: 'image', types, facts: [x.facts, y.facts], pixels } }, overlay };
  } else if (x.format === 'entries' && y.format === 'entries') {
    comparison = { format: 'entries', types, ...diffEntries(x.entries, y.entries), truncated: x.truncated || y.truncated };
  } else {
    throw new DocumentRefused('unsupported', `no diff for ${x.format}`);
  }
  return { diff: { status: 'compared', comparison } };
}

/** A small PNG of a picture or of a PDF's first page. */
export async function thumbnailOf(file: OpenedFile): Promise<Buffer> {
  const type = sniff(readFully(file.fd, 0, sniffBytes), file.name, file.size);
  if (type === 'pdf') return renderFirstPage(readWhole(file, limits.documentBytes, 'PDF'), limits.thumbnailSide);
  if (familyOf(type) === 'image') return imageThumbnail(readWhole(file, limits.imageBytes, 'picture'), type);
  throw new DocumentRefused('unsupported', 'thumbnails are made of pictures and PDFs');
}

export async function overlayOf(a: OpenedFile, b: OpenedFile): Promise<Buffer> {
  const { overlay } = await diffFiles(a, b);
  if (!overlay) throw new DocumentRefused('unsupported', 'an overlay is made of two pictures');
  return overlay;
}
