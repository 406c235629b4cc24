/**
 * PDF text page by page and a picture of the first page, with pdf.js in this worker thread: no
 * script in the PDF runs (pdf.js has no scripting without its sandbox, and eval is off), no font
 * is installed in the system, nothing is fetched (the bytes are handed over whole; fonts and
 * character maps come from the pdfjs-dist package on disk).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { limits } from './limits.ts';
import { unreadable } from './refused.ts';

export interface PdfPages {
  /** Text of each page, lines as pdf.js finds them. */
  pages: string[];
  /** Pages in the file (more than were read when truncated). */
  pageCount: number;
  truncated: boolean;
}

const packageDir = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

async function open(bytes: Uint8Array) {
  const task = pdfjs.getDocument({
    data: bytes,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    isOffscreenCanvasSupported: false,
    verbosity: 0,
    standardFontDataUrl: `${packageDir}/standard_fonts/`,
    cMapUrl: `${packageDir}/cmaps/`,
    cMapPacked: true,
    wasmUrl: `${packageDir}/wasm/`,
  });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy();
    throw unreadable(error, 'PDF');
  }
}

export async function readPdfText(bytes: Uint8Array): Promise<PdfPages> {
  const document = await open(bytes);
  try {
    const pages: string[] = [];
    const count = Math.min(document.numPages, limits.pages);
    for (let number = 1; number <= count; number += 1) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
        if (text.length > limits.paragraphChars) break;
      }
      pages.push(text.slice(0, limits.paragraphChars).replace(/[ \t]+\n/g, '\n').trim());
      page.cleanup();
    }
    return { pages, pageCount: document.numPages, truncated: document.numPages > count };
  } catch (error) {
    throw unreadable(error, 'PDF');
  } finally {
    await document.destroy();
  }
}

/** The first page as a PNG whose longer side is `side` pixels, on white. */
export async function renderFirstPage(bytes: Uint8Array, side: number): Promise<Buffer> {
  const document = await open(bytes);
  try {
    const page = await document.getPage(1);
    const natural = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: side / Math.max(natural.width, natural.height) });
    const canvas = createCanvas(Math.max(1, Math.round(viewport.width)), Math.max(1, Math.round(viewport.height)));
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
    return canvas.toBuffer('image/png');
  } catch (error) {
    throw unreadable(error, 'PDF');
  } finally {
    await document.destroy();
  }
}
