/** Hash worker: receives batches of tasks, reads and hashes them synchronously, replies in order. */
import { parentPort, workerData } from 'node:worker_threads';
import { ContentHasher, type HashTask } from './read.ts';

const hasher = new ContentHasher((workerData as { bufferBytes?: number } | undefined)?.bufferBytes);

parentPort!.on('message', (message: { batch: number; tasks: HashTask[] }) => {
  parentPort!.postMessage({ batch: message.batch, results: message.tasks.map((task) => hasher.run(task)) });
});
