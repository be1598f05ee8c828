/**
 * A queue worker: takes jobs from the queue (Monte Carlo paths and sweep variants of any parent, on any
 * machine) and runs each on one of `concurrency` path runner processes (runnerPool.ts), returning the
 * job's row as its result. Its BullMQ lock on a job is renewed while the job runs; if this process dies,
 * the lock lapses and another worker's stalled-job check puts the job back in the queue.
 */
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { encodeScenario } from "../monteCarlo";
import { openRedis, probeRedis } from "./connectRedis";
import { CancelWatch } from "./cancelWatch";
import { PATH_QUEUE, RunCancelledError, bullConnection, jobLabel, type QueueJobData, type QueueJobResult } from "./pathJobs";
import type { SweepRunRow } from "../sweep";
import type { PathRunnerProcess } from "./pathRunnerProcess";
import { RunnerPool } from "./runnerPool";
import { loadScenario } from "./scenarioStore";

/** A job may stall (its worker die) this many times before it fails the run. */
const MAX_STALLS = 2;

export interface RunQueueWorkerParameters {
  url: string;
  /** Jobs run at once, each in its own process. */
  concurrency: number;
  /**
   * How long a job's lock lasts without renewal, in seconds (renewed every half of it): a dead
   * worker's job is run again after about this long plus up to twice the stalled-check interval (equal).
   */
  lockSeconds: number;
  /**
   * Told of each job ("path 3", "variant 3": `jobLabel`) as it starts (no liquidations, no error) and as
   * it ends: its liquidations, or the error.
   */
  onJob?: (report: { runId: string; job: string; liquidations?: number; error?: Error }) => void;
  /** Called once the worker listens for jobs. */
  onReady?: () => void;
  /** Aborting stops taking jobs; the jobs being run finish first. */
  signal: AbortSignal;
}

/** The liquidations of a job's row (a path's or a sweep variant's). */
const liquidationsOf = (row: QueueJobResult): number => ("path" in row ? row.liquidations : row.result.summary.liquidations.count);

/** Runs one job on the pool: a path on its scenario and seed's world, a variant on its deployment's. */
function runJob(pool: RunnerPool, redis: Redis, data: QueueJobData, signal: AbortSignal): Promise<QueueJobResult> {
  if (data.kind === "sweep") {
    const load = async () => {
      const scenario = await loadScenario(redis, data.deploymentHash);
      return { scenario, seed: scenario.seed };
    };
    const variant = async (runner: PathRunnerProcess): Promise<SweepRunRow> =>
      runner.runVariant({ index: data.index, scenario: encodeScenario(await loadScenario(redis, data.scenarioHash)), check: data.check });
    return pool.run(`deployment:${data.deploymentHash}`, load, variant, signal);
  }
  const load = async () => ({ scenario: await loadScenario(redis, data.scenarioHash), seed: BigInt(data.seed) });
  return pool.run(`${data.scenarioHash}:${data.seed}`, load, (runner) => runner.runPath(data.path), signal);
}

/** Serves the queue until `signal` aborts; rejects with `QueueUnreachableError` when the server does not answer at first. */
export async function runQueueWorker(parameters: RunQueueWorkerParameters): Promise<void> {
  const { url, concurrency, lockSeconds, signal } = parameters;
  await probeRedis(url);
  const redis = openRedis(url);
  redis.on("error", () => undefined);
  const pool = new RunnerPool(concurrency);
  const cancels = await CancelWatch.start(redis);
  const worker = new Worker<QueueJobData, QueueJobResult>(
    PATH_QUEUE,
    async (job) => {
      const { runId } = job.data;
      const cancel = cancels.open(runId);
      try {
        if (await cancels.isCancelled(runId)) throw new RunCancelledError(runId);
        parameters.onJob?.({ runId, job: jobLabel(job.data) });
        const row = await runJob(pool, redis, job.data, cancel.signal).catch((e: unknown) => {
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
  worker.on("completed", (job, row) => parameters.onJob?.({ runId: job.data.runId, job: jobLabel(job.data), liquidations: liquidationsOf(row) }));
  worker.on("failed", (job, error) => {
    if (job !== undefined) parameters.onJob?.({ runId: job.data.runId, job: jobLabel(job.data), error });
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
