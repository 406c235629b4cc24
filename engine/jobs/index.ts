/** engine/jobs: the durable queue (Job table) and the worker loop that runs it. */
export {
  enqueueJob,
  getJob,
  jobByKey,
  leaseJob,
  heartbeat,
  leaseHeld,
  handLeaseBack,
  finishJob,
  requeueJob,
  listJobs,
  workerIdentity,
  ownerIsDead,
  defaultLeaseMs,
  type JobRow,
  type JobStatus,
  type JobProgress,
} from './queue.ts';
export { defineJob, type JobDefinition } from './definition.ts';
export { runWorker, runLeasedJob, jobControl, JobLostError, type JobControl, type JobHandler, type WorkerOptions } from './worker.ts';
