/**
 * A queue worker: takes path jobs from the queue (runs of any parent, on any machine) and runs each on
 * one of `concurrency` path runner processes (runnerPool.ts), returning the path's row as the job's
 * result. Its BullMQ lock on a job is renewed while the path runs; if this process dies, the lock
 * lapses and another worker's stalled-job check puts the job back in the queue.
 */
import { Worker } from "bullmq";
import type { MonteCarloPathJson } from "../../report/monteCarlo";
import { openRedis, probeRedis } from "./connectRedis";
import { CancelWatch } from "./cancelWatch";
import { PATH_QUEUE, RunCancelledError, bullConnection, type PathJobData } from "./pathJobs";
import { RunnerPool } from "./runnerPool";
import { loadScenario } from "./scenarioStore";

/** A job may stall (its worker die) this many times before it fails the run. */
const MAX_STALLS = 2;

export interface RunQueueWorkerParameters {
  url: string;
  /** Paths run at once, each in its own process. */
  concurrency: number;
  /**
   * How long a job's lock lasts without renewal, in seconds (renewed every half of it): a dead
   * worker's job is run again after about this long plus up to twice the stalled-check interval (equal).
   */
  lockSeconds: number;
  /** Told of each job as it starts (no row, no error) and as it ends: its row, or the error. */
  onJob?: (report: { runId: string; path: number; row?: MonteCarloPathJson; error?: Error }) => void;
  /** Called once the worker listens for jobs. */
  onReady?: () => void;
  /** Aborting stops taking jobs; the jobs being run finish first. */
  signal: AbortSignal;
}

/** Serves the queue until `signal` aborts; rejects with `QueueUnreachableError` when the server does not answer at first. */
export async function runQueueWorker(parameters: RunQueueWorkerParameters): Promise<void> {
  const { url, concurrency, lockSeconds, signal } = parameters;
  await probeRedis(url);
  const redis = openRedis(url);
  redis.on("error", () => undefined);
  const pool = new RunnerPool(concurrency);
  const cancels = await CancelWatch.start(redis);
  const worker = new Worker<PathJobData, MonteCarloPathJson>(
    PATH_QUEUE,
    async (job) => {
      const { runId, scenarioHash, seed, path } = job.data;
      const cancel = cancels.open(runId);
      try {
        if (await cancels.isCancelled(runId)) throw new RunCancelledError(runId);
        parameters.onJob?.({ runId, path });
        const row = await pool
          .runPath(`${scenarioHash}:${seed}`, BigInt(seed), path, () => loadScenario(redis, scenarioHash), cancel.signal)
          .catch((e: unknown) => {
            throw cancel.signal.aborted ? new RunCancelledError(runId) : e;
          });
        // A row its run no longer waits for fails the job, which removes it.
        if (cancel.signal.aborted || (await cancels.isCancelled(runId))) throw new RunCancelledError(runId);
        return row;
      } finally {
        cancel.release();
      }
    },
    {
      connection: bullConnection(url),
      concurrency,
      lockDuration: lockSeconds * 1000,
      stalledInterval: lockSeconds * 1000,
      maxStalledCount: MAX_STALLS,
    },
  );
  worker.on("error", () => undefined);
  worker.on("completed", (job, row) => parameters.onJob?.({ runId: job.data.runId, path: job.data.path, row }));
  worker.on("failed", (job, error) => {
    if (job !== undefined) parameters.onJob?.({ runId: job.data.runId, path: job.data.path, error });
  });
  try {
    await worker.waitUntilReady();
    parameters.onReady?.();
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener("abort", () => resolve(), { once: true });
    });
  } finally {
    await worker.close();
    await pool.stop();
    cancels.stop();
    redis.disconnect();
  }
}
