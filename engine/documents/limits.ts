/**
 * How much of a file a content view may read, inflate, parse and keep, and how long it may take:
 * every file in the space is untrusted input (a zip bomb, a sheet of a million cells, a 2 GB
 * file with a PDF header). Documented in docs/reference/http-api.md; tests cite these names.
 */
export const limits = {
  /** On-disk size beyond which a document (Office, OpenDocument, PDF) is not opened at all. */
  documentBytes: 64 * 1024 * 1024,
  /** Images are decoded only up to this size on disk… */
  imageBytes: 25 * 1024 * 1024,
  /** …and this many pixels (a tiny PNG can claim 100 000 × 100 000). */
  imagePixels: 50_000_000,
  /** Entries a zip (or a document inside one) may have; beyond, the listing stops. */
  zipEntries: 20_000,
  /** Bytes one part of a document may inflate to (word/document.xml, a worksheet). */
  partBytes: 32 * 1024 * 1024,
  /** Bytes all the parts read from one document may inflate to together. */
  inflatedBytes: 128 * 1024 * 1024,
  /** Paragraphs, cells and pages kept from one document. */
  paragraphs: 20_000,
  cells: 200_000,
  pages: 200,
  /** Characters kept of one paragraph, cell or page. */
  paragraphChars: 20_000,
  /** Changes a diff may have; beyond, it answers "too different". */
  changes: 2_000,
  /** Pictures are compared at most at this size (both scaled alike). */
  comparePixels: 1024 * 1024,
  /** Longest side of a thumbnail. */
  thumbnailSide: 256,
  /** Wall-clock time one view or diff may take in its worker before the worker is ended. */
  timeoutMs: 15_000,
  /** Heap a worker may use; beyond, it is ended and the answer is "too large". */
  workerHeapMb: 512,
  /** Requests waiting for a worker; beyond, the answer is "busy". */
  queue: 32,
} as const;
