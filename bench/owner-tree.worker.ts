/**
 * Writes one share of the owner-scale tree (every n-th folder of each source, see
 * owner-tree.model.ts) and its share of each origin inventory: gzip JSON lines for a reconcile
 * manifest (gzip members, concatenated by the main thread), `rclone lsjson` lines otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parentPort, workerData } from 'node:worker_threads';
import xxhash from 'xxhash-addon';
import { QuickXorHash } from '../engine/hash/index.ts';
import { createRandom } from '../engine/scenario/random.ts';
import { POOL_BYTES, content, slot, slotsOf, sourceKeys, treeSources, type OriginFile, type Problem, type SourceKey, type SpaceFile, type TreeModel } from './owner-tree.model.ts';

export interface WorkerInput {
  model: TreeModel;
  worker: number;
  workers: number;
  space: string;
  /** Where this worker's inventory fragments go: `<fragments>/<source>.<worker>`. */
  fragments: string;
}

export interface WorkerOutput {
  files: number;
  bytes: number;
  problems: Partial<Record<Problem, number>>;
  /** Content ids copied by planted duplicates (a group per distinct id). */
  copied: number[];
  originEntries: Partial<Record<SourceKey, number>>;
  /** Folders of each origin, relative to its root (with every parent). */
  folders: Partial<Record<SourceKey, string[]>>;
}

const input = workerData as WorkerInput;
const pool = createRandom(`owner-tree:${input.model.seed}`).bytes(POOL_BYTES);
const nanos = (seconds: number) => `${seconds}000000000`;
const rfc3339 = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', '.000000000Z');

const output: WorkerOutput = { files: 0, bytes: 0, problems: {}, copied: [], originEntries: {}, folders: {} };
let done = 0;
for (const key of sourceKeys) {
  const source = treeSources[key];
  const landing = path.join(input.space, source.scenario.landing);
  const cloud = source.scenario.manifest!.format === 'rclone-lsjson';
  const fragment = path.join(input.fragments, `${key}.${input.worker}`);
  const lines: string[] = [];
  const sink = fs.openSync(fragment, 'w');
  // A gzip member per 2,000 lines: members concatenate into one valid gzip file, and nothing waits on a stream.
  const flush = () => {
    if (lines.length === 0) return;
    const text = `${lines.join('\n')}\n`;
    lines.length = 0;
    if (cloud) fs.writeSync(sink, text);
    else fs.writeSync(sink, zlib.gzipSync(text, { level: 1 }));
  };
  const madeFolders = new Set<string>();
  const mkdir = (rel: string) => {
    if (madeFolders.has(rel)) return;
    fs.mkdirSync(path.join(landing, rel), { recursive: true });
    madeFolders.add(rel);
  };
  /** The origin's folders, with every parent: its inventory lists them as a walk would. */
  const originFolders = new Set<string>();
  let originEntries = 0;
  for (const index of slotsOf(input.model, key, input.worker, input.workers)) {
    const planned = slot(input.model, key, index);
    const bytesOf = new Map<string, Buffer>();
    const bytes = (file: SpaceFile | OriginFile) => {
      const id = `${file.contentId}:${file.size}:${file.literal ?? ''}`;
      let made = bytesOf.get(id);
      if (!made) bytesOf.set(id, (made = content(file, pool, input.model.seed)));
      return made;
    };
    for (const file of planned.space) {
      mkdir(path.posix.dirname(file.rel));
      let data = bytes(file).subarray(0, file.length);
      if (file.flipped) {
        data = Buffer.from(data);
        for (let flip = 0; flip < 8; flip++) data[16 + ((flip * 7919) % (data.length - 16))]! ^= 0x5a;
      }
      const fd = fs.openSync(path.join(landing, file.rel), 'wx', 0o644);
      try {
        if (data.length > 0) fs.writeSync(fd, data);
        fs.futimesSync(fd, file.mtimeSec, file.mtimeSec);
      } finally {
        fs.closeSync(fd);
      }
      output.files++;
      output.bytes += data.length;
    }
    for (const origin of planned.origin) {
      originEntries++;
      const data = origin.dataless || !source.hashed ? undefined : bytes(origin);
      if (cloud) {
        const hashes = data ? { quickxor: new QuickXorHash().update(data).digest().toString('hex') } : {};
        lines.push(`${JSON.stringify({ Path: origin.rel, Name: path.posix.basename(origin.rel), Size: origin.size, MimeType: 'application/octet-stream', ModTime: rfc3339(origin.mtimeSec), IsDir: false, Hashes: hashes })},`);
      } else {
        const hash = data ? { xxh128: xxhash.XXHash128.hash(data).toString('hex') } : {};
        lines.push(JSON.stringify({ path: origin.rel, type: 'file', size: origin.size, mtimeNs: nanos(origin.mtimeSec), ...hash }));
      }
      for (let dir = path.posix.dirname(origin.rel); dir !== '.' && !originFolders.has(dir); dir = path.posix.dirname(dir)) originFolders.add(dir);
    }
    for (const problem of planned.problems) output.problems[problem] = (output.problems[problem] ?? 0) + 1;
    if (planned.copies !== undefined) output.copied.push(planned.copies);
    if (lines.length >= 2000) flush();
    if (++done % 10_000 === 0) parentPort!.postMessage({ progress: done });
  }
  flush();
  fs.closeSync(sink);
  output.originEntries[key] = originEntries;
  output.folders[key] = [...originFolders];
}
parentPort!.postMessage({ output });
