/**
 * A run through the queue (a Monte Carlo run's paths, a sweep's variants): the parent stores what its
 * jobs need, enqueues one job per index and gathers the rows the queue workers (queueWorker.ts, on any
 * machines) return, by index, so the rows do not depend on which worker ran a job.
 *
 * The parent listens to the queue's events before it adds a job, so no result can finish unseen. A
 * failed job fails the run (`QueuePathError` naming the job); a job whose worker died is not failed
 * but put back by BullMQ's stalled-job check and run again elsewhere. When the run fails or is aborted
 * it marks itself cancelled and says so on a channel (workers skip its jobs and stop those they run) and
 * removes every job of its own not being run.
 */
import { randomUUID } from "node:crypto";
import { QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { openRedis, probeRedis } from "./connectRedis";
import { QueuePathError } from "./errors";
import { CANCEL_CHANNEL, PATH_QUEUE, bullConnection, cancelKey, jobId, jobOptions, openPathQueue, type JobLetter, type PathQueue, type QueueJobData } from "./pathJobs";

/** How long a cancelled run's mark is kept, in seconds (longer than any job it could still meet). */
const CANCEL_TTL_SECONDS = 24 * 3600;

export interface RunJobsOnQueueParameters<Row> {
  /** The queue's Redis URL (`parseQueueUrl`). */
  url: string;
  /** Jobs, indexed 0..count-1. */
  count: number;
  /** The jobs' kind: the letter of their ids and their name in messages ("path", "variant"). */
  letter: JobLetter;
  noun: string;
  /** Stores what the jobs need (scenarios) and returns job `index`'s data. */
  prepare: (redis: Redis, runId: string) => Promise<(index: number) => QueueJobData>;
  /** Called as each job's row arrives (in arrival order), with the number arrived so far. */
  onRow?: (row: Row, done: number) => void;
  /** Aborting removes the run's jobs; the run rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Runs every job through the queue and returns the rows in index order. Rejects with
 * `QueueUnreachableError` when the server does not answer, `QueuePathError` when a job fails.
 */
export async function runJobsOnQueue<Row>(parameters: RunJobsOnQueueParameters<Row>): Promise<Row[]> {
  const { url } = parameters;
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
    return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
  } finally {
    await cleanUp(parameters, runId, finished, redis, queue);
    await events.close();
    await queue.close();
    redis.disconnect();
  }
}

async function gatherRows<Row>(
  parameters: RunJobsOnQueueParameters<Row>,
  runId: string,
  redis: Redis,
  queue: PathQueue,
  events: QueueEvents,
): Promise<Map<number, Row>> {
  const { count, letter, noun } = parameters;
  await events.waitUntilReady();
  const data = await parameters.prepare(redis, runId);
  const collector = collectRows(events, runId, parameters);
  try {
    // Bounded batches (one addBulk is one Redis transaction), until the run ends.
    for (let start = 0; start < count && !collector.settled(); start += ADD_BATCH) {
      const batch = Array.from({ length: Math.min(ADD_BATCH, count - start) }, (_, k) => start + k);
      await queue.addBulk(batch.map((i) => ({ name: noun, data: data(i), opts: jobOptions(jobId(runId, letter, i)) })));
    }
  } catch (e) {
    collector.stop(e);
  }
  return collector.rows;
}

interface Collector<Row> {
  /** Resolves with every row by index once all have arrived; rejects on a failed job, an abort or `stop(error)`. */
  rows: Promise<Map<number, Row>>;
  settled: () => boolean;
  stop: (error: unknown) => void;
}

/** Listens for the run's jobs' outcomes on `events` (already listening, so none is missed). */
function collectRows<Row>(events: QueueEvents, runId: string, parameters: RunJobsOnQueueParameters<Row>): Collector<Row> {
  const { count, signal } = parameters;
  const prefix = jobId(runId, parameters.letter, 0).slice(0, -1);
  const indexOf = (id: string): number | undefined => (id.startsWith(prefix) ? Number(id.slice(prefix.length)) : undefined);
  const rows = new Map<number, Row>();
  let settled = false;
  let finish: (error?: unknown) => void = () => undefined;
  const done = new Promise<Map<number, Row>>((resolve, reject) => {
    finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      events.off("completed", onCompleted);
      events.off("failed", onFailed);
      signal?.removeEventListener("abort", onAbort);
      if (error === undefined) resolve(rows);
      else reject(error);
    };
  });
  const onCompleted = ({ jobId: id, returnvalue }: { jobId: string; returnvalue: unknown }): void => {
    const index = indexOf(id);
    if (settled || index === undefined || rows.has(index)) return;
    const row = (typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as Row;
    rows.set(index, row);
    parameters.onRow?.(row, rows.size);
    if (rows.size === count) finish();
  };
  const onFailed = ({ jobId: id, failedReason }: { jobId: string; failedReason: string }): void => {
    const index = indexOf(id);
    if (index !== undefined) finish(new QueuePathError(`${parameters.noun} ${index}`, failedReason));
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
async function cleanUp<Row>(parameters: RunJobsOnQueueParameters<Row>, runId: string, finished: boolean, redis: Redis, queue: PathQueue): Promise<void> {
  if (!finished) {
    await redis.set(cancelKey(runId), "1", "EX", CANCEL_TTL_SECONDS);
    await redis.publish(CANCEL_CHANNEL, runId);
  }
  for (let i = 0; i < parameters.count; i++) {
    // 0 for a job a worker holds (locked): a cancelled run's job then ends as a failure and is removed.
    await queue.remove(jobId(runId, parameters.letter, i));
  }
}
