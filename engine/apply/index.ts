/**
 * engine/apply: approved decisions → durable, journaled, resumable apply runs.
 * Public surface for the CLI, the worker and the web app (through lib/services).
 */
export {
  previewApply,
  enqueueApply,
  retryFailedSteps,
  applyJob,
  runProgress,
  type ApplyPreview,
  type PreviewOperation,
  type EnqueueResult,
  type RunProgress,
} from './service.ts';
export { executeRun, ApplyStoppedError, type ApplySummary, type ExecuteOptions } from './execute.ts';
export { getRun, resolveRun, listRuns, runOperations, unfinishedRun, journalFile, type RunRow, type StoredOperation } from './runs.ts';
export { plannedOperationSchema, type PlannedOperation } from './prepare.ts';
export { lstatOrNull, hashFile, sameMtime, createFolders, missingFolders } from './files.ts';
export { displayPath, rawPath, parentOf, joinPath, journalPath, fromJournalPath, isInside } from './paths.ts';
export { runProblems, runStatusCounts, type RunProblem } from './run-summary.ts';
export { rollbackRun, enqueueRollback, rollbackJob, type RollbackResult } from './rollback.ts';
export { repairRuns, type RepairResult, type RebuiltRun } from './repair.ts';
