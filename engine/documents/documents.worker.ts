/**
 * The documents worker: reads files through descriptors the request thread opened and answers
 * views, diffs and thumbnails (views.ts). The pool (pool.ts) ends it when a task runs too long.
 */
import { parentPort } from 'node:worker_threads';
import { DocumentRefused, unreadable } from './refused.ts';
import type { WorkerRequest, WorkerResponse } from './pool.ts';
import { diffFiles, overlayOf, thumbnailOf, viewFile } from './views.ts';

async function answer(request: WorkerRequest): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
  const png = (bytes: Buffer) => {
    const copy = new Uint8Array(bytes);
    return { result: copy, transfer: [copy.buffer] };
  };
  switch (request.op) {
    case 'view':
      return { result: { status: 'view', content: await viewFile(request.files[0]) }, transfer: [] };
    case 'diff': {
      const { diff, overlay } = await diffFiles(request.files[0], request.files[1]!);
      const bytes = overlay ? new Uint8Array(overlay) : undefined;
      return { result: { diff, overlay: bytes }, transfer: bytes ? [bytes.buffer] : [] };
    }
    case 'thumbnail':
      return png(await thumbnailOf(request.files[0]));
    case 'overlay':
      return png(await overlayOf(request.files[0], request.files[1]!));
  }
}

parentPort!.on('message', (request: WorkerRequest) => {
  answer(request).then(
    ({ result, transfer }) => parentPort!.postMessage({ id: request.id, ok: true, result } satisfies WorkerResponse, transfer),
    (error: unknown) => {
      const refused = error instanceof DocumentRefused ? error : unreadable(error, 'file');
      parentPort!.postMessage({ id: request.id, ok: false, refusal: refused.toAnswer() } satisfies WorkerResponse);
    },
  );
});
