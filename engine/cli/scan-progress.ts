/**
 * Scan progress on stderr: a cli-progress bar (files/s, bytes/s, ETA) on a terminal, JSON lines
 * with --json, nothing with --quiet or when stderr is not a terminal.
 */
import cliProgress from 'cli-progress';
import { formatBytes } from '../format.ts';
import type { ScanProgress } from '../scan/index.ts';

export interface ScanProgressReporter {
  update(progress: ScanProgress): void;
  stop(): void;
}

export function createScanProgress(options: { json: boolean; quiet: boolean }): ScanProgressReporter {
  if (options.quiet) return { update() {}, stop() {} };
  if (options.json) {
    return {
      update(progress) {
        process.stderr.write(`${JSON.stringify({ event: 'progress', ...progress })}\n`);
      },
      stop() {},
    };
  }
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{phase} |{bar}| {value}/{total} files | {rate} files/s | {bytes} ({byteRate}/s) | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let phase = '';
  return {
    update(progress) {
      if (progress.phase === 'done') return; // the summary follows
      const seconds = Math.max(progress.elapsedMs / 1000, 0.001);
      const label = progress.phase === 'hash' ? `hash ${progress.stage}` : `walk ${progress.sourceId ?? ''}`;
      const value = progress.phase === 'hash' ? (progress.done ?? 0) : progress.entriesSeen;
      const total = progress.phase === 'hash' ? (progress.total ?? 0) : progress.entriesSeen;
      const bytes = progress.phase === 'hash' ? (progress.bytesDone ?? 0) : progress.bytesSeen;
      const payload = {
        phase: label.padEnd(12),
        rate: Math.round(value / seconds),
        bytes: formatBytes(bytes),
        byteRate: formatBytes(Math.round(bytes / seconds)),
      };
      if (!started || label !== phase) {
        if (started) bar.stop();
        bar.start(total, value, payload);
        started = true;
        phase = label;
      } else {
        bar.setTotal(total);
        bar.update(value, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
