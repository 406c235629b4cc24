/**
 * A manifest walker thread: walks its share of the folder, hashes each of its files as it goes
 * (native XXH128) and sends the rendered lines in chunks, at most a few ahead of the writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ContentHasher } from '../hash/index.ts';
import type { WalkShare } from '../scan/walk.ts';
import { acknowledgedSends, type WorkerEnd } from '../threads.ts';
import { manifestChunks, type ManifestChunk } from './manifest-walk.ts';

export interface ManifestWorkerData {
  root: string;
  share?: WalkShare;
  hash: boolean;
  /** Chunks sent and not yet taken by the writer, beyond which this walker waits. */
  maxInFlight: number;
}

export type ManifestWorkerMessage = { kind: 'chunk'; chunk: ManifestChunk } | WorkerEnd;

const { root, share, hash, maxInFlight } = workerData as ManifestWorkerData;
const sent = acknowledgedSends(maxInFlight);

async function run(): Promise<void> {
  for (const chunk of manifestChunks(root, { share, hasher: hash ? new ContentHasher() : undefined })) {
    parentPort!.postMessage({ kind: 'chunk', chunk } satisfies ManifestWorkerMessage);
    await sent();
  }
  parentPort!.postMessage({ kind: 'done' } satisfies ManifestWorkerMessage);
}

run().catch((error: NodeJS.ErrnoException) => parentPort!.postMessage({ kind: 'error', message: error.message, code: error.code } satisfies ManifestWorkerMessage));
