/** engine/journal: the fsynced, append-only JSON-lines record of every apply and rollback step. */
export {
  Journal,
  readJournal,
  forEachRecord,
  foldRecord,
  operationStates,
  fsyncDirectory,
  fsyncDirectoryAsync,
  makeFoldersDurable,
  FsyncError,
  isFsyncFailure,
  type JournalRecord,
  type JournalPath,
  type Expectation,
  type StepDescription,
  type OperationState,
} from './journal.ts';
