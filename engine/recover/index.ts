/**
 * engine/recover: the recovery loop's origin side. Per source, the origin entries the space still
 * lacks (from the latest plan), written as a list in the format of that origin's tool with a ready
 * command or a script for the origin host, and `fetch` running the transfer where this server can
 * reach the origin. The next scan catalogues what arrived in the recovery folder; classify matches
 * it and the plan places it (engine/classify/recovered.ts).
 */
export { recoveryPlan, defaultRecoveryDir, type RecoveryPlan } from './plan.ts';
export { recoveryState, type SourceRecoveryState, type RecoveryEntry, type FetchedEntry, type WaivedEntry, type BlockedFolder } from './status.ts';
export { describeRecovery, rsyncRun, rcloneRun, type SourceRecovery, type SeparateFetch, type ToolRun } from './commands.ts';
export { recoveryFiles, writeRecovery, rsyncList, lineList, robocopyScript, makeLocalScript, groupByFolder, type RecoveryFile } from './files.ts';
export { reachOf, type Reach } from './reach.ts';
export { shellQuote, powershellQuote } from './quote.ts';
export { fetchSource, type FetchResult, type FetchProgress } from './fetch.ts';
export { waive, revokeWaivers, listWaivers, activeWaivers, type Waiver, type WaiveResult } from './waivers.ts';
export { enqueueFetch, runFetchJob, recoverFetchJob } from './job.ts';
