/**
 * Scan progress: counters go to the ScanRun row and, under a job, to Job.progressJson (the UI
 * polls both), and to an optional listener (the CLI bar or JSON lines). All throttled.
 */
import type { Db } from '../db/index.ts';
import type { HashProgress } from './hashing.ts';
import type { ScanSummary } from './summary.ts';

export interface ScanProgress {
  scanId: number;
  phase: 'walk' | 'hash' | 'done';
  sourceId?: string;
  /** Hash stage: head, tail or full. */
  stage?: string;
  entriesSeen: number;
  bytesSeen: number;
  /** In the hash phase: files and bytes of the current stage. */
  done?: number;
  total?: number;
  bytesDone?: number;
  bytesTotal?: number;
  elapsedMs: number;
}

const NOTIFY_EVERY_MS = 200;
const PERSIST_EVERY_MS = 1000;

export class ProgressTracker {
  private readonly started = Date.now();
  private lastNotified = 0;
  private lastPersisted = 0;
  private readonly saveRun;
  private readonly saveJob;

  constructor(
    private readonly db: Db,
    private readonly scanId: number,
    private readonly jobId: number | undefined,
    private readonly summary: ScanSummary,
    private readonly listener?: (progress: ScanProgress) => void,
  ) {
    this.saveRun = db.prepare(
      `UPDATE ScanRun SET entriesSeen = @entriesSeen, bytesSeen = @bytesSeen, added = @added, changed = @changed, removed = @removed,
         unreadable = @unreadable, filesHashed = @filesHashed, bytesRead = @bytesRead, status = @status, finishedAt = @finishedAt, error = @error
       WHERE id = @id`,
    );
    this.saveJob = db.prepare('UPDATE Job SET progressJson = ? WHERE id = ?');
  }

  walking(sourceId: string): void {
    this.report({ phase: 'walk', sourceId });
  }

  hashing(progress: HashProgress): void {
    this.report({ phase: 'hash', stage: progress.stage, done: progress.filesDone, total: progress.filesTotal, bytesDone: progress.bytesDone, bytesTotal: progress.bytesTotal }, progress.filesDone === progress.filesTotal);
  }

  finish(status: 'succeeded' | 'failed', error?: string): void {
    const done: ScanProgress = { ...this.counters(), phase: 'done' };
    this.persist(done, status, error);
    this.listener?.(done);
  }

  private report(partial: Partial<ScanProgress> & { phase: ScanProgress['phase'] }, force = false): void {
    const now = Date.now();
    const progress: ScanProgress = { ...this.counters(), ...partial };
    if (force || now - this.lastNotified >= NOTIFY_EVERY_MS) {
      this.lastNotified = now;
      this.listener?.(progress);
    }
    if (force || now - this.lastPersisted >= PERSIST_EVERY_MS) {
      this.lastPersisted = now;
      this.persist(progress, 'running');
    }
  }

  private counters(): ScanProgress {
    return { scanId: this.scanId, phase: 'walk', entriesSeen: this.summary.entriesSeen, bytesSeen: this.summary.bytesSeen, elapsedMs: Date.now() - this.started };
  }

  private persist(progress: ScanProgress, status: string, error?: string): void {
    const s = this.summary;
    this.saveRun.run({
      id: this.scanId,
      entriesSeen: s.entriesSeen,
      bytesSeen: s.bytesSeen,
      added: s.added,
      changed: s.changed,
      removed: s.removed,
      unreadable: s.unreadable,
      filesHashed: s.filesHashed,
      bytesRead: s.bytesRead,
      status,
      finishedAt: status === 'running' ? null : new Date().toISOString(),
      error: error ?? null,
    });
    if (this.jobId !== undefined) {
      const message =
        progress.phase === 'walk' ? `walking ${progress.sourceId ?? ''}: ${progress.entriesSeen} entries` : progress.phase === 'hash' ? `hashing (${progress.stage})` : 'done';
      this.saveJob.run(
        JSON.stringify({ phase: progress.phase === 'hash' ? `hash-${progress.stage}` : progress.phase, done: progress.done ?? progress.entriesSeen, total: progress.total ?? null, bytesDone: progress.bytesDone ?? progress.bytesSeen, bytesTotal: progress.bytesTotal ?? null, message }),
        this.jobId,
      );
    }
  }
}
