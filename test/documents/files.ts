/**
 * Real files for the document tests, written by the libraries people's files come from (docx,
 * write-excel-file, pdf-lib), pictures drawn with Skia, zips with fflate — including the hostile
 * ones: a zip bomb, a corrupt .docx, a 2 GB sparse file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { zipSync } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import writeExcelFile from 'write-excel-file/node';

export async function docx(paragraphs: string[]): Promise<Buffer> {
  const document = new Document({ sections: [{ children: paragraphs.map((text) => new Paragraph({ children: [new TextRun(text)] })) }] });
  return Packer.toBuffer(document);
}

export async function xlsx(sheets: { sheet: string; rows: (string | number | boolean | Date)[][] }[]): Promise<Buffer> {
  const input = sheets.map(({ sheet, rows }) => ({
    sheet,
    data: rows.map((row) => row.map((value) => (value instanceof Date ? { value, format: 'yyyy-mm-dd' } : { value }))),
  }));
  return (await writeExcelFile(input).toBuffer()) as Buffer;
}

export async function pdf(pages: string[][]): Promise<Buffer> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = document.addPage([595, 842]);
    lines.forEach((line, index) => page.drawText(line, { x: 50, y: 780 - index * 20, size: 14, font }));
  }
  return Buffer.from(await document.save());
}

/** A width × height PNG: white, with a filled square of `side` pixels at (x, y). */
export function png(width: number, height: number, square: { x: number; y: number; side: number; colour: string }): Buffer {
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.fillStyle = square.colour;
  context.fillRect(square.x, square.y, square.side, square.side);
  return canvas.toBuffer('image/png');
}

export function zip(files: Record<string, string | Uint8Array>): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([name, content]) => [name, typeof content === 'string' ? new TextEncoder().encode(content) : content]))));
}

/** A .docx-shaped zip whose document part inflates to `bytes` zeros (a few hundred KiB on disk). */
export function zipBomb(bytes: number): Buffer {
  return Buffer.from(
    zipSync({ '[Content_Types].xml': new TextEncoder().encode('<Types/>'), 'word/document.xml': new Uint8Array(bytes) }, { level: 9 }),
  );
}

/** A file of `size` bytes that is all hole after its head: no disk space used. */
export function sparse(file: string, head: Buffer, size: number): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, head);
  fs.truncateSync(file, size);
  return file;
}
