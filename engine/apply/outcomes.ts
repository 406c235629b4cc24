/**
 * Outcomes waiting to be written. An outcome record must not reach the disk before what it
 * claims: the folders a step's rename changed are fsynced first. So outcomes wait here and are
 * written in groups — their folders fsynced once each, then the records appended and mirrored in
 * one transaction. A crash loses at most the waiting records; resume re-derives those from the
 * file system.
 */
import { fsyncDirectory, fsyncDirectoryAsync, type Journal } from '../journal/index.ts';
import type { OperationMirror, StoredOperation } from './runs.ts';
import type { Outcome } from './steps.ts';

const now = (): string => new Date().toISOString();

export class PendingOutcomes {
  private waiting: { op: StoredOperation; outcome: Outcome }[] = [];
  private readonly dirtyFolders = new Map<string, Buffer>();

  constructor(
    private readonly journal: Journal,
    private readonly mirror: OperationMirror,
  ) {}

  /** A folder a step changed: fsynced before the step's outcome is written. */
  readonly touch = (dir: Buffer): void => {
    this.dirtyFolders.set(dir.toString('latin1'), dir);
  };

  record(op: StoredOperation, outcome: Outcome): void {
    this.waiting.push({ op, outcome });
  }

  /** Fsyncs the changed folders, then writes and mirrors the waiting outcomes. */
  settle(): void {
    for (const dir of this.dirtyFolders.values()) fsyncDirectory(dir);
    this.dirtyFolders.clear();
    this.write(this.take());
  }

  /** settle() with the folder fsyncs on libuv's threads, so copies in flight keep being verified. */
  async settleAsync(): Promise<void> {
    const folders = [...this.dirtyFolders.values()];
    const outcomes = this.take();
    this.dirtyFolders.clear();
    await Promise.all(folders.map((dir) => fsyncDirectoryAsync(dir)));
    this.write(outcomes);
  }

  private take(): { op: StoredOperation; outcome: Outcome }[] {
    const outcomes = this.waiting;
    this.waiting = [];
    return outcomes;
  }

  private write(outcomes: { op: StoredOperation; outcome: Outcome }[]): void {
    for (const { op, outcome } of outcomes) {
      this.journal.append(
        outcome.kind === 'done'
          ? { t: 'done', id: op.id, hash: outcome.hash, notPreserved: outcome.notPreserved, detected: outcome.detected, at: now() }
          : { t: 'skip', id: op.id, reason: outcome.reason, detail: outcome.detail, at: now() },
        { durable: false },
      );
    }
    this.mirror.together(() => {
      for (const { op, outcome } of outcomes) {
        if (outcome.kind === 'done') this.mirror.set(op, 'done', { hash: outcome.hash, notPreserved: outcome.notPreserved });
        else this.mirror.set(op, 'skipped', { reason: outcome.reason });
      }
    });
  }
}
