/**
 * Outcomes waiting to be written. An outcome record must not reach the disk before what it
 * claims: the folders a step's rename changed are fsynced first. So outcomes wait here and are
 * written in groups — their folders fsynced once each, then the records appended and mirrored in
 * one transaction. A crash loses at most the waiting records; resume re-derives those from the
 * file system.
 */
import { fsyncDirectory, fsyncDirectoryAsync, type Journal } from '../journal/index.ts';
import type { OperationMirror, StoredOperation } from './runs.ts';
import { describeStep, type Outcome } from './steps.ts';

const now = (): string => new Date().toISOString();

/** An outcome waiting to be written; `describe` when no intent described the operation. */
interface Waiting {
  op: StoredOperation;
  outcome: Outcome;
  describe: boolean;
}

export class PendingOutcomes {
  private waiting: Waiting[] = [];
  private readonly dirtyFolders = new Map<string, Buffer>();

  constructor(
    private readonly journal: Journal,
    private readonly mirror: OperationMirror,
  ) {}

  /** A folder a step changed: fsynced before the step's outcome is written. */
  readonly touch = (dir: Buffer): void => {
    this.dirtyFolders.set(dir.toString('latin1'), dir);
  };

  /** An outcome to write; `describe` for an operation no intent names (skipped by its checks). */
  record(op: StoredOperation, outcome: Outcome, options: { describe?: boolean } = {}): void {
    this.waiting.push({ op, outcome, describe: options.describe ?? false });
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

  private take(): Waiting[] {
    const outcomes = this.waiting;
    this.waiting = [];
    return outcomes;
  }

  private write(outcomes: Waiting[]): void {
    for (const { op, outcome, describe } of outcomes) {
      const step = describe ? describeStep(op) : undefined;
      this.journal.append(
        outcome.kind === 'done'
          ? { t: 'done', id: op.id, hash: outcome.hash, notPreserved: outcome.notPreserved, detected: outcome.detected, step, at: now() }
          : outcome.kind === 'skip'
            ? { t: 'skip', id: op.id, reason: outcome.reason, detail: outcome.detail, step, at: now() }
            : { t: 'fail', id: op.id, code: outcome.code, message: outcome.message, step, at: now() },
        { durable: false },
      );
    }
    this.mirror.together(() => {
      for (const { op, outcome } of outcomes) {
        if (outcome.kind === 'done') this.mirror.set(op, 'done', { hash: outcome.hash, notPreserved: outcome.notPreserved });
        else if (outcome.kind === 'skip') this.mirror.set(op, 'skipped', { reason: outcome.reason });
        else this.mirror.set(op, 'failed', { reason: outcome.code });
      }
    });
  }
}
