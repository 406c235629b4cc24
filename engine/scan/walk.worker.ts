/**
 * Walks a tree on its own thread and streams the entries to the scanner in batches, so listing
 * and lstat overlap with catalog writes. At most a few batches are in flight (memory stays bounded).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readXattrNames } from './inspect.ts';
import { walk, type WalkedEntry, type WalkProblem } from './walk.ts';

export type WalkMessage =
  | { kind: 'entries'; entries: WalkedEntry[]; vanished: WalkProblem[] }
  | { kind: 'done' }
  | { kind: 'error'; message: string; code?: string };

const { root, boundary, batchSize, maxInFlight, xattrs } = workerData as {
  root: string;
  boundary: string;
  batchSize: number;
  maxInFlight: number;
  xattrs: boolean;
};
const EMPTY = Buffer.alloc(0);
let inFlight = 0;
let resume: (() => void) | undefined;
parentPort!.on('message', () => {
  inFlight--;
  resume?.();
});

async function run(): Promise<void> {
  let vanished: WalkProblem[] = [];
  let batch: WalkedEntry[] = [];
  const send = async () => {
    parentPort!.postMessage({ kind: 'entries', entries: batch, vanished } satisfies WalkMessage);
    batch = [];
    vanished = [];
    inFlight++;
    while (inFlight >= maxInFlight) await new Promise<void>((resolve) => (resume = resolve));
  };
  for (const entry of walk(root, { boundary, readXattrs: xattrs ? readXattrNames : undefined, onVanished: (problem) => vanished.push(problem) })) {
    // The absolute path is rebuilt on the other side; not cloning it halves the bytes sent.
    batch.push({ ...entry, absPath: EMPTY });
    if (batch.length >= batchSize) await send();
  }
  if (batch.length > 0 || vanished.length > 0) await send();
  parentPort!.postMessage({ kind: 'done' } satisfies WalkMessage);
}

run().catch((error: NodeJS.ErrnoException) => parentPort!.postMessage({ kind: 'error', message: error.message, code: error.code } satisfies WalkMessage));
