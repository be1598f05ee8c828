/**
 * The queue's jobs: one per Monte Carlo path. A job carries its run's id, the hash of the stored
 * scenario (scenarioStore.ts), the run's base seed and the path's index; its result (BullMQ's return
 * value) is the path's row. Job ids are `<runId>-p<path>`, so results are keyed by run and path and a
 * path cannot be queued twice for a run.
 */
import { Queue, type ConnectionOptions, type JobsOptions } from "bullmq";
import type { MonteCarloPathJson } from "../../report/monteCarlo";

/** The one queue every run and worker shares (BullMQ keys it under `bull:liqsim-paths:`). */
export const PATH_QUEUE = "liqsim-paths";

export interface PathJobData {
  runId: string;
  scenarioHash: string;
  /** The run's base seed, decimal digits (JSON has no bigint). */
  seed: string;
  path: number;
}

export const pathJobId = (runId: string, path: number): string => `${runId}-p${path}`;

/** The key a cancelled run is marked under: workers skip its jobs. */
export const cancelKey = (runId: string): string => `liqsim:run:${runId}:cancelled`;

/** The channel a cancelled run's id is published on: workers stop its paths being run. */
export const CANCEL_CHANNEL = "liqsim:cancelled-runs";

/** How a job of a cancelled run ends on a worker (it fails, and so is removed: `removeOnFail`). */
export class RunCancelledError extends Error {
  override readonly name = "RunCancelledError";
  constructor(readonly runId: string) {
    super(`run ${runId} was cancelled`);
  }
}

/** Completed jobs are removed by the run that waits for them; this age only clears what a dead parent left. */
const LEFTOVER_SECONDS = 24 * 3600;

/**
 * One attempt: a path that throws would throw again (the run is deterministic). A worker that dies
 * does not fail its job: its lock lapses and BullMQ's stalled-job check puts the job back in the queue.
 * A failed job is removed at once: its run fails on the failure event, which carries the reason, and a
 * cancelled run's jobs end as failures (`RunCancelledError`), so they leave nothing behind either.
 */
export const pathJobOptions = (runId: string, path: number): JobsOptions => ({
  jobId: pathJobId(runId, path),
  attempts: 1,
  removeOnComplete: { age: LEFTOVER_SECONDS },
  removeOnFail: true,
});

/** The path queue as the parent uses it (jobs in, rows out). */
export type PathQueue = Queue<PathJobData, MonteCarloPathJson, string, PathJobData, MonteCarloPathJson, string>;

/** BullMQ's connection options for `url`: commands wait through a reconnect, as BullMQ's workers require. */
export const bullConnection = (url: string): ConnectionOptions => ({ url, maxRetriesPerRequest: null });

export function openPathQueue(url: string): PathQueue {
  return new Queue<PathJobData, MonteCarloPathJson, string, PathJobData, MonteCarloPathJson, string>(PATH_QUEUE, { connection: bullConnection(url) });
}
