/**
 * A Monte Carlo run through the queue: the parent stores the scenario, enqueues one job per path and
 * gathers the rows the queue workers (queueWorker.ts, on any machines) return, by path index, so the
 * rows are those `runMonteCarlo` returns for the same scenario and seed whichever worker ran a path.
 *
 * The parent listens to the queue's events before it adds a job, so no result can finish unseen. A
 * failed job fails the run (`QueuePathError` naming the path); a job whose worker died is not failed
 * but put back by BullMQ's stalled-job check and run again elsewhere. When the run fails or is aborted
 * it marks itself cancelled and says so on a channel (workers skip its jobs and stop those they run) and
 * removes every job of its own not being run.
 */
import { randomUUID } from "node:crypto";
import { QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { MAX_PATHS, requireRandomMarket } from "../monteCarlo";
import type { MonteCarloPathJson } from "../../report/monteCarlo";
import type { Scenario } from "../../scenario/types";
import { openRedis, probeRedis } from "./connectRedis";
import { QueuePathError } from "./errors";
import { CANCEL_CHANNEL, PATH_QUEUE, bullConnection, cancelKey, openPathQueue, pathJobId, pathJobOptions, type PathJobData, type PathQueue } from "./pathJobs";
import { storeScenario } from "./scenarioStore";

/** How long a cancelled run's mark is kept, in seconds (longer than any job it could still meet). */
const CANCEL_TTL_SECONDS = 24 * 3600;

export interface RunMonteCarloOnQueueParameters {
  /** The queue's Redis URL (`parseQueueUrl`). */
  url: string;
  scenario: Scenario;
  seed: bigint;
  paths: number;
  /** Called as each path's row arrives (in arrival order), with the number arrived so far. */
  onPath?: (row: MonteCarloPathJson, done: number) => void;
  /** Aborting removes the run's jobs; the run rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Runs every path through the queue and returns the rows in path order. Rejects with
 * `QueueUnreachableError` when the server does not answer, `QueuePathError` when a path's job fails.
 */
export async function runMonteCarloOnQueue(parameters: RunMonteCarloOnQueueParameters): Promise<MonteCarloPathJson[]> {
  const { url, scenario, paths } = parameters;
  if (!Number.isInteger(paths) || paths < 1 || paths > MAX_PATHS) throw new RangeError(`paths must be an integer in 1..${MAX_PATHS}, got ${paths}`);
  requireRandomMarket(scenario);
  parameters.signal?.throwIfAborted();
  await probeRedis(url);
  const runId = randomUUID();
  const redis = openRedis(url);
  const queue = openPathQueue(url);
  const events = new QueueEvents(PATH_QUEUE, { connection: bullConnection(url) });
  // BullMQ's classes emit connection errors; they reconnect, and a lasting outage stops the run's progress, not the process.
  queue.on("error", () => undefined);
  events.on("error", () => undefined);
  let finished = false;
  try {
    const rows = await gatherRows(parameters, runId, redis, queue, events);
    finished = true;
    return rows.sort((a, b) => a.path - b.path);
  } finally {
    await cleanUp(runId, paths, finished, redis, queue);
    await events.close();
    await queue.close();
    redis.disconnect();
  }
}

async function gatherRows(
  parameters: RunMonteCarloOnQueueParameters,
  runId: string,
  redis: Redis,
  queue: PathQueue,
  events: QueueEvents,
): Promise<MonteCarloPathJson[]> {
  const { scenario, seed, paths } = parameters;
  await events.waitUntilReady();
  const scenarioHash = await storeScenario(redis, scenario);
  const collector = collectRows(events, runId, parameters);
  const data = (path: number): PathJobData => ({ runId, scenarioHash, seed: seed.toString(), path });
  try {
    // Bounded batches (one addBulk is one Redis transaction), until the run ends.
    for (let start = 0; start < paths && !collector.settled(); start += ADD_BATCH) {
      const batch = Array.from({ length: Math.min(ADD_BATCH, paths - start) }, (_, k) => start + k);
      await queue.addBulk(batch.map((i) => ({ name: "path", data: data(i), opts: pathJobOptions(runId, i) })));
    }
  } catch (e) {
    collector.stop(e);
  }
  return collector.rows;
}

interface Collector {
  /** Resolves with every row once all have arrived; rejects on a failed job, an abort or `stop(error)`. */
  rows: Promise<MonteCarloPathJson[]>;
  settled: () => boolean;
  stop: (error: unknown) => void;
}

/** Listens for the run's jobs' outcomes on `events` (already listening, so none is missed). */
function collectRows(events: QueueEvents, runId: string, parameters: RunMonteCarloOnQueueParameters): Collector {
  const { paths, signal } = parameters;
  const prefix = pathJobId(runId, 0).slice(0, -1);
  const pathOf = (jobId: string): number | undefined => (jobId.startsWith(prefix) ? Number(jobId.slice(prefix.length)) : undefined);
  const rows = new Map<number, MonteCarloPathJson>();
  let settled = false;
  let finish: (error?: unknown) => void = () => undefined;
  const done = new Promise<MonteCarloPathJson[]>((resolve, reject) => {
    finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      events.off("completed", onCompleted);
      events.off("failed", onFailed);
      signal?.removeEventListener("abort", onAbort);
      if (error === undefined) resolve([...rows.values()]);
      else reject(error);
    };
  });
  const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }): void => {
    const index = pathOf(jobId);
    if (settled || index === undefined || rows.has(index)) return;
    const row = (typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as MonteCarloPathJson;
    rows.set(index, row);
    parameters.onPath?.(row, rows.size);
    if (rows.size === paths) finish();
  };
  const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }): void => {
    const index = pathOf(jobId);
    if (index !== undefined) finish(new QueuePathError(index, failedReason));
  };
  const onAbort = (): void => finish(signal?.reason);
  events.on("completed", onCompleted);
  events.on("failed", onFailed);
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted === true) onAbort();
  return { rows: done, settled: () => settled, stop: (error) => finish(error) };
}

/** Jobs per addBulk. */
const ADD_BATCH = 500;

/** Removes the run's jobs; a failed or aborted run first marks itself cancelled so workers skip the rest. */
async function cleanUp(runId: string, paths: number, finished: boolean, redis: Redis, queue: PathQueue): Promise<void> {
  if (!finished) {
    await redis.set(cancelKey(runId), "1", "EX", CANCEL_TTL_SECONDS);
    await redis.publish(CANCEL_CHANNEL, runId);
  }
  for (let i = 0; i < paths; i++) {
    // 0 for a job a worker holds (locked): a cancelled run's job then ends as a failure and is removed.
    await queue.remove(pathJobId(runId, i));
  }
}
