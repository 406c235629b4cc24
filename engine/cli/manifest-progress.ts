/**
 * Manifest progress on stderr: a live line (entries, files, bytes, rate) on a terminal, JSON lines
 * with --json, nothing with --quiet or when stderr is not a terminal. The walk is not counted
 * beforehand, so there is no total: the line says how far it got and how fast it goes.
 */
import cliProgress from 'cli-progress';
import { formatBytes } from '../format.ts';
import type { ManifestProgress } from '../inventory/index.ts';

export interface ManifestProgressReporter {
  update(progress: ManifestProgress): void;
  stop(): void;
}

export function createManifestProgress(options: { json: boolean; quiet: boolean; hash: boolean }): ManifestProgressReporter {
  if (options.quiet) return { update() {}, stop() {} };
  if (options.json) {
    let last = 0;
    return {
      update(progress) {
        // About one line a second: a large tree would otherwise print thousands.
        if (Date.now() - last < 1000) return;
        last = Date.now();
        process.stderr.write(`${JSON.stringify({ event: 'progress', phase: 'manifest', ...progress })}\n`);
      },
      stop() {},
    };
  }
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: options.hash ? 'manifest | {value} entries | {files} files | {bytes} hashed ({byteRate}/s)' : 'manifest | {value} entries | {files} files | {bytes}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(0, 0, { files: 0, bytes: formatBytes(0), byteRate: formatBytes(0) });
  return {
    update(progress) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.setTotal(progress.entries);
      bar.update(progress.entries, { files: progress.files, bytes: formatBytes(progress.bytes), byteRate: formatBytes(Math.round(progress.bytes / seconds)) });
    },
    stop() {
      bar.stop();
    },
  };
}
