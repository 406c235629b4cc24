/**
 * The text of Office and OpenDocument files, read from their XML parts with a streaming parser
 * that expands no entities beyond XML's five and fetches nothing (saxes): Word and OpenDocument
 * text as paragraphs, PowerPoint and OpenDocument slides as paragraphs under a "Slide N" line,
 * Excel as sheets of cell values. Macros, scripts and embedded objects are never looked at.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { limits } from './limits.ts';
import { DocumentRefused, unreadable } from './refused.ts';
import type { ContentType } from './sniff.ts';
import type { BoundedZip, ZipBudget } from './zip.ts';

export interface Paragraphs {
  paragraphs: string[];
  truncated: boolean;
}

export interface Sheet {
  name: string;
  /** [cell, value] in the order the sheet stores them (row by row). */
  cells: [string, string][];
}

export interface Workbook {
  sheets: Sheet[];
  truncated: boolean;
}

type Handlers = {
  open?: (tag: SaxesTagNS) => void;
  close?: (tag: SaxesTagNS) => void;
  text?: (text: string) => void;
};

function parseXml(xml: Buffer, part: string, handlers: Handlers): void {
  const parser = new SaxesParser({ xmlns: true });
  if (handlers.open) parser.on('opentag', handlers.open);
  if (handlers.close) parser.on('closetag', handlers.close);
  if (handlers.text) parser.on('text', handlers.text);
  parser.on('cdata', (text) => handlers.text?.(text));
  try {
    parser.write(xml.toString('utf8')).close();
  } catch (error) {
    if (error instanceof Stop) return;
    throw unreadable(error, part);
  }
}

/** Thrown from a handler to stop parsing once a limit is reached. */
class Stop extends Error {}

const attribute = (tag: SaxesTagNS, local: string): string | undefined => {
  for (const attr of Object.values(tag.attributes)) if (attr.local === local) return attr.value;
  return undefined;
};

class ParagraphCollector {
  readonly paragraphs: string[] = [];
  truncated = false;
  private current: string[] | null = null;
  private depth = 0;

  open(): void {
    // A paragraph inside a paragraph (a text box, a note) is read into the outer one.
    if (this.depth++ === 0) this.current = [];
  }

  add(text: string): void {
    this.current?.push(text);
  }

  close(): void {
    if (--this.depth > 0 || !this.current) return;
    this.push(this.current.join(''));
    this.current = null;
  }

  push(text: string): void {
    const paragraph = text.replace(/[\r\n]+/g, ' ').trimEnd();
    if (paragraph.trim() === '') return;
    if (this.paragraphs.length >= limits.paragraphs) {
      this.truncated = true;
      throw new Stop();
    }
    this.paragraphs.push(paragraph.length > limits.paragraphChars ? `${paragraph.slice(0, limits.paragraphChars)}…` : paragraph);
  }
}

/** OOXML text: paragraphs `p`, runs of text `t`, tabs and breaks; alternate renderings (mc:Fallback) skipped. */
function ooxmlParagraphs(xml: Buffer, part: string, into: ParagraphCollector): void {
  let inText = 0;
  let skipping = 0;
  parseXml(xml, part, {
    open(tag) {
      if (skipping > 0 || tag.local === 'Fallback') {
        skipping += 1;
        return;
      }
      if (tag.local === 'p') into.open();
      else if (tag.local === 't') inText += 1;
      else if (tag.local === 'tab') into.add('\t');
      else if (tag.local === 'br' || tag.local === 'cr') into.add(' ');
    },
    close(tag) {
      if (skipping > 0) {
        skipping -= 1;
        return;
      }
      if (tag.local === 'p') into.close();
      else if (tag.local === 't') inText -= 1;
    },
    text(text) {
      if (inText > 0 && skipping === 0) into.add(text);
    },
  });
}

/** OpenDocument text: `text:p` and `text:h`, with `text:s` (spaces), tabs and line breaks; slides as "Slide N". */
function odfParagraphs(xml: Buffer, into: ParagraphCollector): void {
  let slide = 0;
  parseXml(xml, 'content.xml', {
    open(tag) {
      if (tag.local === 'p' || tag.local === 'h') into.open();
      else if (tag.local === 's') into.add(' '.repeat(Math.min(100, Number(attribute(tag, 'c') ?? 1) || 1)));
      else if (tag.local === 'tab') into.add('\t');
      else if (tag.local === 'line-break') into.add(' ');
      else if (tag.local === 'page' && tag.prefix === 'draw') into.push(`Slide ${++slide}`);
    },
    close(tag) {
      if (tag.local === 'p' || tag.local === 'h') into.close();
    },
    text(text) {
      into.add(text);
    },
  });
}

async function part(zip: BoundedZip, name: string, budget: ZipBudget): Promise<Buffer> {
  const bytes = await zip.read(name, budget);
  if (!bytes) throw new DocumentRefused('unreadable', `could not read the document: it has no ${name}`);
  return bytes;
}

/** The paragraphs of a Word, PowerPoint or OpenDocument file. */
export async function readParagraphs(zip: BoundedZip, type: ContentType): Promise<Paragraphs> {
  const into = new ParagraphCollector();
  const budget: ZipBudget = { inflated: 0 };
  try {
    if (type === 'docx') {
      ooxmlParagraphs(await part(zip, 'word/document.xml', budget), 'word/document.xml', into);
    } else if (type === 'pptx') {
      const slides = zip.entries
        .map((entry) => /^ppt\/slides\/slide(\d+)\.xml$/.exec(entry.name))
        .filter((match) => match !== null)
        .sort((a, b) => Number(a[1]) - Number(b[1]));
      for (const [name, number] of slides) {
        into.push(`Slide ${number}`);
        ooxmlParagraphs(await part(zip, name, budget), name, into);
      }
    } else {
      odfParagraphs(await part(zip, 'content.xml', budget), into);
    }
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
  }
  return { paragraphs: into.paragraphs, truncated: into.truncated };
}

/** Built-in number formats that show dates and times (ECMA-376 18.8.30). */
const dateFormatIds = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

function isDateFormat(code: string): boolean {
  // Quoted text, escapes and colours say nothing about dates.
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** A serial date as ISO text (1900 or 1904 date system), seconds only when the time has them. */
function serialToIso(serial: number, date1904: boolean): string {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const iso = new Date(epoch + Math.round(serial * 86_400_000)).toISOString();
  return serial % 1 === 0 ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Resolves a relationship target against the part that names it (`xl/workbook.xml`). */
function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ['xl'];
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.') parts.push(piece);
  }
  return parts.join('/');
}

/** An Excel workbook's sheets and cell values: shared and inline strings, numbers, booleans, errors, dates. */
export async function readWorkbook(zip: BoundedZip): Promise<Workbook> {
  const budget: ZipBudget = { inflated: 0 };
  const sheets: { name: string; relId: string }[] = [];
  let date1904 = false;
  parseXml(await part(zip, 'xl/workbook.xml', budget), 'xl/workbook.xml', {
    open(tag) {
      if (tag.local === 'sheet') sheets.push({ name: attribute(tag, 'name') ?? `Sheet${sheets.length + 1}`, relId: attribute(tag, 'id') ?? '' });
      if (tag.local === 'workbookPr') date1904 = ['1', 'true'].includes(attribute(tag, 'date1904') ?? '');
    },
  });
  const targets = new Map<string, string>();
  const rels = await zip.read('xl/_rels/workbook.xml.rels', budget);
  if (rels) {
    parseXml(rels, 'xl/_rels/workbook.xml.rels', {
      open(tag) {
        if (tag.local === 'Relationship') targets.set(attribute(tag, 'Id') ?? '', resolveTarget(attribute(tag, 'Target') ?? ''));
      },
    });
  }
  const shared: string[] = [];
  const strings = await zip.read('xl/sharedStrings.xml', budget);
  if (strings) {
    let current: string[] | null = null;
    let inText = false;
    let phonetic = 0;
    parseXml(strings, 'xl/sharedStrings.xml', {
      open(tag) {
        if (tag.local === 'si') current = [];
        else if (tag.local === 'rPh') phonetic += 1;
        else if (tag.local === 't' && phonetic === 0) inText = true;
      },
      close(tag) {
        if (tag.local === 'si' && current) {
          shared.push(current.join(''));
          current = null;
        } else if (tag.local === 'rPh') phonetic -= 1;
        else if (tag.local === 't') inText = false;
      },
      text(text) {
        if (inText) current?.push(text);
      },
    });
  }
  const dateStyles = await readDateStyles(zip, budget);

  let cellCount = 0;
  let truncated = false;
  const result: Sheet[] = [];
  for (const sheet of sheets) {
    const target = targets.get(sheet.relId) ?? `xl/worksheets/sheet${result.length + 1}.xml`;
    const xml = await zip.read(target, budget);
    const cells: [string, string][] = [];
    result.push({ name: sheet.name, cells });
    if (!xml || truncated) continue;
    let row = 0;
    let column = 0;
    let cell: { ref: string; type: string; style: number; value: string[] } | null = null;
    let inValue = false;
    parseXml(xml, target, {
      open(tag) {
        if (tag.local === 'row') {
          row = Number(attribute(tag, 'r') ?? row + 1);
          column = 0;
        } else if (tag.local === 'c') {
          const ref = attribute(tag, 'r') ?? `${columnName(column)}${row}`;
          const letters = /^[A-Z]+/.exec(ref)?.[0] ?? '';
          column = [...letters].reduce((sum, letter) => sum * 26 + letter.charCodeAt(0) - 64, 0);
          cell = { ref, type: attribute(tag, 't') ?? 'n', style: Number(attribute(tag, 's') ?? 0), value: [] };
        } else if (cell && (tag.local === 'v' || tag.local === 't')) inValue = true;
      },
      close(tag) {
        if ((tag.local === 'v' || tag.local === 't') && cell) inValue = false;
        if (tag.local !== 'c' || !cell) return;
        const { ref, type, style, value: parts } = cell;
        cell = null;
        const value = cellValue(type, parts.join(''), dateStyles.has(style), shared, date1904);
        if (value === '') return;
        if (++cellCount > limits.cells) {
          truncated = true;
          throw new Stop();
        }
        cells.push([ref, value]);
      },
      text(text) {
        if (inValue && cell) cell.value.push(text);
      },
    });
  }
  return { sheets: result, truncated };
}

function cellValue(type: string, raw: string, dateStyle: boolean, shared: string[], date1904: boolean): string {
  let value: string;
  if (type === 's') value = shared[Number(raw)] ?? '';
  else if (type === 'b') value = raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : raw;
  else if (type === 'n' && dateStyle && raw !== '' && Number.isFinite(Number(raw))) value = serialToIso(Number(raw), date1904);
  else value = raw;
  return value.length > limits.paragraphChars ? `${value.slice(0, limits.paragraphChars)}…` : value;
}

/** Style indexes (cellXfs positions) whose number format shows a date or time. */
async function readDateStyles(zip: BoundedZip, budget: ZipBudget): Promise<Set<number>> {
  const styles = new Set<number>();
  const xml = await zip.read('xl/styles.xml', budget);
  if (!xml) return styles;
  const customDates = new Set<number>();
  let inCellXfs = false;
  let index = 0;
  parseXml(xml, 'xl/styles.xml', {
    open(tag) {
      if (tag.local === 'numFmt' && isDateFormat(attribute(tag, 'formatCode') ?? '')) customDates.add(Number(attribute(tag, 'numFmtId')));
      else if (tag.local === 'cellXfs') inCellXfs = true;
      else if (tag.local === 'xf' && inCellXfs) {
        const id = Number(attribute(tag, 'numFmtId') ?? 0);
        if (dateFormatIds.has(id) || customDates.has(id)) styles.add(index);
        index += 1;
      }
    },
    close(tag) {
      if (tag.local === 'cellXfs') inCellXfs = false;
    },
  });
  return styles;
}
