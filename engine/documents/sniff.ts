/**
 * What a file holds, from its first bytes (and for zips, the names of its parts): the extension
 * only breaks ties where the bytes cannot (ODF and OOXML are both zips). Pure and cheap: the
 * request thread uses it to decide where a view is made.
 */
export type ContentType =
  | 'docx'
  | 'pptx'
  | 'xlsx'
  | 'odt'
  | 'odp'
  | 'ods'
  | 'zip'
  | 'pdf'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'webp'
  | 'bmp'
  | 'avif'
  | 'heic'
  | 'text'
  | 'binary';

/** The head sniffContainer needs: zip headers carry the first part's name right after them. */
export const sniffBytes = 4096;

export type ContentFamily = 'text' | 'document' | 'spreadsheet' | 'pdf' | 'image' | 'archive' | 'binary';

export function familyOf(type: ContentType): ContentFamily {
  switch (type) {
    case 'docx':
    case 'pptx':
    case 'odt':
    case 'odp':
    case 'ods': // OpenDocument sheets read as their cells' text, paragraph by paragraph
      return 'document';
    case 'xlsx':
      return 'spreadsheet';
    case 'pdf':
      return 'pdf';
    case 'png':
    case 'jpeg':
    case 'gif':
    case 'webp':
    case 'bmp':
    case 'avif':
    case 'heic':
      return 'image';
    case 'zip':
      return 'archive';
    case 'text':
      return 'text';
    case 'binary':
      return 'binary';
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isText(head: Uint8Array, cut: boolean): boolean {
  if (head.includes(0)) return false;
  for (let trim = 0; trim <= (cut ? 3 : 0); trim += 1) {
    try {
      strictUtf8.decode(head.subarray(0, head.length - trim));
      return true;
    } catch {
      // a multi-byte character cut at the end of the head: try without it
    }
  }
  return false;
}

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));

/** The type by magic bytes; a zip is refined by sniffContainer (in the worker, which reads its parts). */
export function sniff(head: Uint8Array, name: string, size: number): ContentType {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return zipType(head, extension);
  if (ascii(head, 0, 5) === '%PDF-') return 'pdf';
  if (head.length >= 8 && head[0] === 0x89 && ascii(head, 1, 4) === 'PNG') return 'png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (ascii(head, 0, 4) === 'GIF8') return 'gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (ascii(head, 0, 2) === 'BM' && head.length >= 26) return 'bmp';
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'heic';
  }
  return isText(head, size > head.length) ? 'text' : 'binary';
}

/**
 * OOXML and ODF are zips: ODF names its type in a first, stored `mimetype` part (so it is in the
 * head); OOXML is told by its `[Content_Types].xml` part, which may come anywhere, so the
 * extension decides between the three OOXML kinds and sniffContainer confirms from the parts.
 */
function zipType(head: Uint8Array, extension: string): ContentType {
  const nameLength = head[26]! | (head[27]! << 8);
  const extraLength = head[28]! | (head[29]! << 8);
  const firstName = ascii(head, 30, 30 + nameLength);
  if (firstName === 'mimetype') {
    const start = 30 + nameLength + extraLength;
    const mime = ascii(head, start, start + 60);
    if (mime.startsWith('application/vnd.oasis.opendocument.text')) return 'odt';
    if (mime.startsWith('application/vnd.oasis.opendocument.presentation')) return 'odp';
    if (mime.startsWith('application/vnd.oasis.opendocument.spreadsheet')) return 'ods';
  }
  if (extension === 'docx' || extension === 'docm' || extension === 'dotx') return 'docx';
  if (extension === 'xlsx' || extension === 'xlsm') return 'xlsx';
  if (extension === 'pptx' || extension === 'pptm') return 'pptx';
  return 'zip';
}

/** A zip's type from the names of its parts: what the parts say wins over the extension. */
export function sniffContainer(names: readonly string[], guess: ContentType): ContentType {
  const has = (name: string) => names.includes(name);
  if (guess === 'odt' || guess === 'odp' || guess === 'ods') return has('content.xml') ? guess : 'zip';
  if (!has('[Content_Types].xml')) return 'zip';
  if (has('word/document.xml')) return 'docx';
  if (has('xl/workbook.xml')) return 'xlsx';
  if (has('ppt/presentation.xml')) return 'pptx';
  return 'zip';
}
