/**
 * A transfer log as lines of text, in whatever encoding its tool wrote it: a byte-order mark
 * (UTF-8, UTF-16LE as robocopy /UNILOG writes, UTF-16BE), else UTF-8 when every byte is valid
 * UTF-8 (rsync, rclone), else the source's code page (robocopy /LOG writes the ANSI code page,
 * windows-1252 on a Western Windows; OEM 850/437 for console captures). Streamed in 1 MiB
 * chunks and decoded incrementally: logs of hundreds of MB never sit in memory whole.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import iconv from 'iconv-lite';
import { UserError } from '../config/index.ts';

export const defaultLogEncoding = 'windows-1252';

/** How the encoding was chosen, for the import summary. */
export type EncodingReason = 'byte-order mark' | 'UTF-16 without byte-order mark' | 'valid UTF-8' | 'code page';

export interface LogEncoding {
  /** iconv-lite name: utf-8, utf-16le, utf-16be, or the configured code page. */
  name: string;
  reason: EncodingReason;
}

/** `UTF-16LE with byte-order mark`, `UTF-8`, `code page windows-1252`: for people. */
export function describeEncoding(encoding: LogEncoding): string {
  switch (encoding.reason) {
    case 'valid UTF-8':
      return 'UTF-8';
    case 'byte-order mark':
      return `${encoding.name.toUpperCase()} with byte-order mark`;
    case 'UTF-16 without byte-order mark':
      return `${encoding.name.toUpperCase()} without byte-order mark`;
    case 'code page':
      return `code page ${encoding.name}`;
  }
}

/** Raised mid-stream when a log read as UTF-8 turns out not to be: the caller re-reads it in the code page. */
export class NotUtf8Error extends Error {
  constructor(readonly lineNo: number) {
    super(`not valid UTF-8 at line ${lineNo}`);
  }
}

interface TextDecoderLike {
  write(chunk: Buffer): string;
  end(): string | undefined;
}

const chunkSize = 1 << 20;

/** The encoding a log's first bytes announce, if they announce one. */
export function sniffEncoding(head: Buffer): LogEncoding | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { name: 'utf-8', reason: 'byte-order mark' };
  if (head[0] === 0xff && head[1] === 0xfe) return { name: 'utf-16le', reason: 'byte-order mark' };
  if (head[0] === 0xfe && head[1] === 0xff) return { name: 'utf-16be', reason: 'byte-order mark' };
  // Text in UTF-16 without a mark (an appended /UNILOG+ part, a re-saved file): ASCII letters leave
  // a NUL in every other byte. Real 8-bit logs have none.
  const pairs = Math.floor(Math.min(head.length, 4096) / 2);
  if (pairs < 8) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let index = 0; index < pairs * 2; index += 2) {
    if (head[index] === 0) evenNul++;
    if (head[index + 1] === 0) oddNul++;
  }
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return { name: 'utf-16le', reason: 'UTF-16 without byte-order mark' };
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return { name: 'utf-16be', reason: 'UTF-16 without byte-order mark' };
  return undefined;
}

/** Strict UTF-8: throws on the first invalid sequence (a chunk boundary inside a character is fine). */
function strictUtf8(): TextDecoderLike {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return {
    write: (chunk) => decoder.decode(chunk, { stream: true }),
    end: () => decoder.decode(),
  };
}

function decoderFor(encoding: LogEncoding): TextDecoderLike {
  if (encoding.name === 'utf-8' && encoding.reason === 'valid UTF-8') return strictUtf8();
  // A declared UTF-8 file with a bad byte keeps going with U+FFFD (the mark said UTF-8).
  if (encoding.name === 'utf-8') return new StringDecoder('utf8');
  return iconv.getDecoder(encoding.name as Parameters<typeof iconv.getDecoder>[0]);
}

/** Splits decoded text into lines on CRLF, LF or a lone CR, across chunk boundaries. */
class LineSplitter {
  private rest = '';

  push(text: string, out: string[]): void {
    let data = this.rest + text;
    // A CR at the very end may be the first half of a CRLF split across chunks.
    const heldCr = data.endsWith('\r');
    if (heldCr) data = data.slice(0, -1);
    let start = 0;
    let lf = data.indexOf('\n');
    let cr = data.indexOf('\r');
    while (lf !== -1 || cr !== -1) {
      const atCr = cr !== -1 && (lf === -1 || cr < lf);
      const end = atCr ? cr : lf;
      out.push(data.slice(start, end));
      start = atCr && lf === cr + 1 ? cr + 2 : end + 1;
      if (lf !== -1 && lf < start) lf = data.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = data.indexOf('\r', start);
    }
    this.rest = data.slice(start) + (heldCr ? '\r' : '');
  }

  end(out: string[]): void {
    if (this.rest.endsWith('\r')) this.rest = this.rest.slice(0, -1);
    if (this.rest !== '') out.push(this.rest);
    this.rest = '';
  }
}

/**
 * A copy of a piece of a line that holds nothing else: V8 keeps a substring as a view of the
 * string it was cut from, so one kept error message would otherwise keep its whole 1 MiB chunk
 * (measured: 280 MB retained for 500 errors in a 280 MB log). JSON keeps lone surrogates.
 */
export function detach(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

export interface LogLines {
  encoding: LogEncoding;
  /** Batches of lines in file order (the first line is line 1). */
  batches: AsyncGenerator<string[]>;
}

/**
 * Opens a log and decides its encoding. With `codePage` only (after a NotUtf8Error), the UTF-8
 * attempt is skipped. The byte-order mark is not part of the first line.
 */
export async function openLogLines(file: string, options: { codePage: string; skipUtf8?: boolean }): Promise<LogLines> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    throw new UserError(`transfer log ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const head = Buffer.alloc(4096);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  const encoding: LogEncoding = sniffEncoding(head.subarray(0, bytesRead)) ??
    (options.skipUtf8 ? { name: options.codePage, reason: 'code page' } : { name: 'utf-8', reason: 'valid UTF-8' });
  return { encoding, batches: readBatches(handle, file, decoderFor(encoding), encoding.reason === 'byte-order mark' && encoding.name === 'utf-8' ? 3 : 0) };
}

async function* readBatches(handle: fs.promises.FileHandle, file: string, decoder: TextDecoderLike, skip: number): AsyncGenerator<string[]> {
  const splitter = new LineSplitter();
  let position = skip;
  let lines = 0;
  const decode = (write: () => string | undefined): string => {
    try {
      return write() ?? '';
    } catch (error) {
      if (error instanceof TypeError) throw new NotUtf8Error(lines + 1);
      throw error;
    }
  };
  try {
    for (;;) {
      // A fresh buffer per read: decoders may keep a reference to a split character's bytes.
      const buffer = Buffer.allocUnsafe(chunkSize);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, chunkSize, position));
      } catch (error) {
        throw new UserError(`transfer log ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
      }
      if (bytesRead === 0) break;
      position += bytesRead;
      const batch: string[] = [];
      splitter.push(decode(() => decoder.write(buffer.subarray(0, bytesRead))), batch);
      lines += batch.length;
      if (batch.length > 0) yield batch;
    }
    const last: string[] = [];
    splitter.push(decode(() => decoder.end()), last);
    splitter.end(last);
    if (last.length > 0) yield last;
  } finally {
    await handle.close();
  }
}
