/**
 * The queue's jobs: one per Monte Carlo path or sweep variant. A path job carries its run's id, the
 * hash of the stored scenario (scenarioStore.ts), the run's base seed and the path's index; its result
 * (BullMQ's return value) is the path's row. A sweep job carries its run's id, the hash of its
 * deployment's scenario (the first variant of that deployment, which the worker deploys), the hash of
 * its own scenario and its index; its result is the variant's row. Job ids are `<runId>-p<path>` and
 * `<runId>-v<variant>`, so results are keyed by run and index and a job cannot be queued twice for a run.
 */
import { Queue, type ConnectionOptions, type JobsOptions } from "bullmq";
import type { MonteCarloPathJson } from "../../report/monteCarlo";
import type { SweepRunRow } from "../sweep";

/** The one queue every run and worker shares, Monte Carlo and sweeps (BullMQ keys it under `bull:liqsim-paths:`). */
export const PATH_QUEUE = "liqsim-paths";

export interface PathJobData {
  kind?: "path";
  runId: string;
  scenarioHash: string;
  /** The run's base seed, decimal digits (JSON has no bigint). */
  seed: string;
  path: number;
}

export interface SweepJobData {
  kind: "sweep";
  runId: string;
  /** The stored scenario of the variant's deployment: the first variant with that deployment. */
  deploymentHash: string;
  scenarioHash: string;
  /** The variant's index in the sweep's plan. */
  index: number;
  /** Check the invariants after every block (`--check`). */
  check: boolean;
}

/** Any job of the queue, and what it returns. */
export type QueueJobData = PathJobData | SweepJobData;
export type QueueJobResult = MonteCarloPathJson | SweepRunRow;

/** The letter of a job id's kind: `p` for paths, `v` for sweep variants. */
export type JobLetter = "p" | "v";

export const jobId = (runId: string, letter: JobLetter, index: number): string => `${runId}-${letter}${index}`;

/** How a job is named in messages: "path 3", "variant 3". */
export const jobLabel = (data: QueueJobData): string => (data.kind === "sweep" ? `variant ${data.index}` : `path ${data.path}`);

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
export const jobOptions = (id: string): JobsOptions => ({
  jobId: id,
  attempts: 1,
  removeOnComplete: { age: LEFTOVER_SECONDS },
  removeOnFail: true,
});

/** The path queue as the parent uses it (jobs in, rows out). */
export type PathQueue = Queue<QueueJobData, QueueJobResult, string, QueueJobData, QueueJobResult, string>;

/** BullMQ's connection options for `url`: commands wait through a reconnect, as BullMQ's workers require. */
export const bullConnection = (url: string): ConnectionOptions => ({ url, maxRetriesPerRequest: null });

export function openPathQueue(url: string): PathQueue {
  return new Queue<QueueJobData, QueueJobResult, string, QueueJobData, QueueJobResult, string>(PATH_QUEUE, { connection: bullConnection(url) });
}
