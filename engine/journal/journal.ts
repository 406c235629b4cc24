/**
 * The append-only run journal: one JSON object per line. Intents are fsynced before their steps
 * act, and a record is written only once what it says happened is on disk. A crash can leave a
 * torn last line; readers skip it and the next writer starts on a fresh line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const fsyncAsync = promisify(fs.fsync);

/** A path as the journal stores it: the display form, plus raw bytes when they are not UTF-8. */
export interface JournalPath {
  path: string;
  b64?: string;
}

export interface Expectation {
  size: number;
  mtimeNs: string;
  hash: string | null;
}

/**
 * An operation as the journal describes it: enough to rebuild its database row when the database
 * lost the run (`reconcile repair`). Every operation that reaches the journal is described once:
 * in its intent, or in its outcome when it never needed one (a step skipped by its checks).
 */
export interface StepDescription {
  seq: number;
  op: string;
  from?: JournalPath;
  to: JournalPath;
  expect?: Expectation;
  /** The kept copy a displacing step relies on, as it had to be when the step acted. */
  keeper?: Expectation & { path: JournalPath };
  decisionKey?: string;
  findingId?: string;
}

export type JournalRecord =
  | {
      t: 'begin';
      run: string;
      ops: number;
      at: string;
      by: string;
      /** The run's identity in the database (absent in journals from before `reconcile repair`). */
      opsHash?: string;
      createdBy?: string;
      createdAt?: string;
    }
  | { t: 'resume'; run: string; at: string; by: string }
  | ({
      t: 'intent';
      id: string;
      /** Folders that did not exist and this step creates (rollback removes them again when empty). */
      mkdirs: JournalPath[];
      /** Parent-folder mtimes before the step, so rollback can restore them. */
      dirMtimes: { dir: JournalPath; mtimeNs: string }[];
      /** Temporary name a copy is written to before it is renamed into place. */
      tmp?: JournalPath;
      at: string;
    } & StepDescription)
  /**
   * A move (or an undo, `undo: true`) fell back to copying because hard links are unsupported:
   * the new name was created exclusively as this inode, before any data was written to it.
   */
  | { t: 'copying'; id: string; dev: string; ino: string; undo?: boolean; at: string }
  | { t: 'done'; id: string; hash?: string; notPreserved: string[]; detected?: boolean; step?: StepDescription; at: string }
  | { t: 'skip'; id: string; reason: string; detail?: string; step?: StepDescription; at: string }
  | { t: 'fail'; id: string; code: string; message: string; step?: StepDescription; at: string }
  | { t: 'end'; status: string; done: number; skipped: number; failed: number; at: string }
  | { t: 'undo-intent'; id: string; at: string }
  /** `untouched`: the step had found its result in place and changed nothing, so nothing was moved back. */
  | { t: 'undo-done'; id: string; untouched?: boolean; at: string }
  | { t: 'undo-refused'; id: string; reason: string; at: string }
  | { t: 'rollback-end'; status: string; restored: number; refused: number; at: string };

/**
 * An fsync failed. What it covered may never reach the disk, and the kernel reports that once:
 * a second fsync of the same file can succeed with the data lost ("fsyncgate", PostgreSQL 2018).
 * So nothing that relies on it is retried in this process — the run stops, and a resume in a new
 * process re-reads the file system for the truth.
 */
export class FsyncError extends Error {
  override readonly name = 'FsyncError';
  readonly code: string;

  constructor(what: string | Buffer, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'EIO';
    super(`fsync of ${what.toString()} failed (${code}); stopping without retrying it`, { cause });
    this.code = code;
  }
}

/** True for an FsyncError, or an error caused by one. */
export function isFsyncFailure(error: unknown): boolean {
  return error instanceof FsyncError || (error instanceof Error && error.cause instanceof FsyncError);
}

export function fsyncDirectory(dir: string | Buffer): void {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    throw new FsyncError(dir, error);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsyncDirectory on libuv's threads: the caller's thread keeps working while the disk does. */
export async function fsyncDirectoryAsync(dir: string | Buffer): Promise<void> {
  const handle = await fs.promises.open(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    await handle.sync();
  } catch (error) {
    throw new FsyncError(dir, error);
  } finally {
    await handle.close();
  }
}

/**
 * Creates `dir` and the folders missing on the way, each made durable in its parent (an fsync of
 * the parent after each mkdir): a journal in a folder whose entry never reached the disk is lost
 * with it.
 */
export function makeFoldersDurable(dir: string): void {
  const missing: string[] = [];
  for (let current = path.resolve(dir); !fs.existsSync(current); current = path.dirname(current)) missing.unshift(current);
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder, 0o755);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    fsyncDirectory(path.dirname(folder));
  }
}

export class Journal {
  private readonly fd: number;
  /** Set by a failed fsync: the journal is not written again by this process (see FsyncError). */
  private broken: FsyncError | undefined;

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens (creating when needed) a journal for appending; its folder and entry are fsynced. */
  static open(file: string): Journal {
    const dir = path.dirname(file);
    const created = !fs.existsSync(file);
    makeFoldersDurable(dir);
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o640);
    const journal = new Journal(file, fd);
    const size = fs.fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      const readFd = fs.openSync(file, 'r');
      try {
        fs.readSync(readFd, last, 0, 1, size - 1);
      } finally {
        fs.closeSync(readFd);
      }
      if (last[0] !== 0x0a) journal.writeRaw('\n');
    }
    if (created) {
      journal.sync();
      fsyncDirectory(dir);
    }
    return journal;
  }

  /** True once an fsync of the journal failed: nothing more is written to it by this process. */
  get failed(): boolean {
    return this.broken !== undefined;
  }

  private sync(): void {
    if (this.broken) throw this.broken;
    try {
      fs.fsyncSync(this.fd);
    } catch (error) {
      this.broken = new FsyncError(this.file, error);
      throw this.broken;
    }
  }

  /**
   * Appends and fsyncs. `durable: false` skips the fsync for records a crash may lose without harm
   * (a lost `done` is re-derived from the file system on resume), and for a group of records made
   * durable together by `flush()`. Whatever a record claims must be on disk before the record is
   * written at all: the kernel may write it back at any time.
   */
  append(record: JournalRecord, options: { durable?: boolean } = {}): void {
    this.writeRaw(`${JSON.stringify(record)}\n`, options.durable !== false);
  }

  /** Appends `records` in one write, made durable by one fsync (unless `durable: false`, see append). */
  appendAll(records: JournalRecord[], options: { durable?: boolean } = {}): void {
    this.writeRaw(records.map((record) => `${JSON.stringify(record)}\n`).join(''), options.durable !== false);
  }

  /** Makes every record appended so far durable, fsyncing on libuv's threads. */
  async flush(): Promise<void> {
    if (this.broken) throw this.broken;
    try {
      await fsyncAsync(this.fd);
    } catch (error) {
      this.broken = new FsyncError(this.file, error);
      throw this.broken;
    }
  }

  private writeRaw(text: string, durable = true): void {
    if (this.broken) throw this.broken;
    const bytes = Buffer.from(text);
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(this.fd, bytes, written);
    if (durable) this.sync();
  }

  close(): void {
    try {
      if (!this.broken) this.sync();
    } finally {
      fs.closeSync(this.fd);
    }
  }
}

/**
 * Calls `each` for every complete record of a journal, in order, reading it in chunks (the journal
 * of a run of millions of steps is larger than is wise to hold as one string); a torn or garbled
 * line is counted, not fatal. A missing journal has no records.
 */
export function forEachRecord(file: string, each: (record: JournalRecord) => void): { torn: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { torn: 0 };
    throw error;
  }
  let torn = 0;
  const line = (bytes: Buffer) => {
    if (bytes.length === 0) return;
    try {
      each(JSON.parse(bytes.toString('utf8')) as JournalRecord);
    } catch {
      torn += 1;
    }
  };
  try {
    const chunk = Buffer.allocUnsafe(4 * 1024 * 1024);
    let rest = Buffer.alloc(0);
    for (let got = fs.readSync(fd, chunk); got > 0; got = fs.readSync(fd, chunk)) {
      const data = rest.length > 0 ? Buffer.concat([rest, chunk.subarray(0, got)]) : chunk.subarray(0, got);
      let start = 0;
      for (let end = data.indexOf(0x0a); end !== -1; end = data.indexOf(0x0a, start)) {
        line(data.subarray(start, end));
        start = end + 1;
      }
      rest = Buffer.from(data.subarray(start));
    }
    line(rest);
  } finally {
    fs.closeSync(fd);
  }
  return { torn };
}

/** Every complete record of a journal, in order (for journals that fit in memory: rollback, repair, tests). */
export function readJournal(file: string): { records: JournalRecord[]; torn: number } {
  const records: JournalRecord[] = [];
  const { torn } = forEachRecord(file, (record) => records.push(record));
  return { records, torn };
}

export interface OperationState {
  intents: Extract<JournalRecord, { t: 'intent' }>[];
  outcome?: Extract<JournalRecord, { t: 'done' | 'skip' | 'fail' }>;
  /** The copy fallback's file for the step (and for its undo), by device and inode. */
  copying?: { dev: string; ino: string };
  undoCopying?: { dev: string; ino: string };
  undone: boolean;
  undoStarted: boolean;
}

/** Folds a journal into the latest state of each operation id. */
export function operationStates(records: Iterable<JournalRecord>): Map<string, OperationState> {
  const states = new Map<string, OperationState>();
  for (const record of records) foldRecord(states, record);
  return states;
}

/** Folds one record into `states` (the latest state of each operation id). */
export function foldRecord(states: Map<string, OperationState>, record: JournalRecord): void {
  const state = (id: string): OperationState => {
    let entry = states.get(id);
    if (!entry) {
      entry = { intents: [], undone: false, undoStarted: false };
      states.set(id, entry);
    }
    return entry;
  };
  switch (record.t) {
    case 'intent':
      state(record.id).intents.push(record);
      break;
    case 'done':
    case 'skip':
    case 'fail':
      state(record.id).outcome = record;
      break;
    case 'copying':
      if (record.undo) state(record.id).undoCopying = { dev: record.dev, ino: record.ino };
      else state(record.id).copying = { dev: record.dev, ino: record.ino };
      break;
    case 'undo-intent':
      state(record.id).undoStarted = true;
      break;
    case 'undo-done':
      state(record.id).undone = true;
      break;
    default:
      break;
  }
}
