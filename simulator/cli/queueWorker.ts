/**
 * `npm run queue-worker -- --queue redis://host:port [--concurrency <k>] [--lock-seconds <s>] [--quiet]`
 *
 * Serves the jobs of every `npm run montecarlo -- … --queue <url>` run (one per path) and every
 * `npm run sweep -- … --queue <url>` sweep (one per variant) on that Redis (batch/queue/queueWorker.ts)
 * until Ctrl-C or SIGTERM, then finishes the jobs it is running and exits. One line per job it ran on
 * stdout (unless `--quiet`).
 *
 * Exit codes: 0 stopped; 2 bad input (one line naming the argument); 3 the queue's Redis could not be reached.
 */
import { QueueUnreachableError, QueueUrlError } from "../batch/queue/errors";
import { redactedUrl } from "../batch/queue/connectRedis";
import { RunCancelledError } from "../batch/queue/pathJobs";
import { parseQueueUrl } from "../batch/queue/queueUrl";
import { runQueueWorker } from "../batch/queue/queueWorker";
import { positiveIntegerArg, readArgs } from "./args";
import { UsageError } from "./errors";

export const QUEUE_WORKER_USAGE = "usage: npm run queue-worker -- --queue redis://host:port [--concurrency <k>] [--lock-seconds <s>] [--quiet]";

/** Default job lock, in seconds (BullMQ's default). */
const DEFAULT_LOCK_SECONDS = 30;
/** Paths at once on one worker: each is a process with a chain, so a few hundred is already absurd. */
const MAX_CONCURRENCY = 256;

export interface QueueWorkerArgs {
  url: string;
  concurrency: number;
  lockSeconds: number;
  quiet: boolean;
}

/** The command line's arguments; throws `UsageError` or `QueueUrlError` (one line naming the argument). */
export function parseQueueWorkerArgs(argv: string[]): QueueWorkerArgs {
  const { values, positionals } = readArgs(argv, {
    queue: { type: "string" },
    concurrency: { type: "string" },
    "lock-seconds": { type: "string" },
    quiet: { type: "boolean", default: false },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (values.queue === undefined) throw new UsageError("--queue: missing (the Redis URL, redis://host:port)");
  const url = parseQueueUrl(values.queue);
  const concurrency = values.concurrency === undefined ? 1 : positiveIntegerArg(values.concurrency, "--concurrency", MAX_CONCURRENCY);
  const lockSeconds = values["lock-seconds"] === undefined ? DEFAULT_LOCK_SECONDS : positiveIntegerArg(values["lock-seconds"], "--lock-seconds", 3600);
  return { url, concurrency, lockSeconds, quiet: values.quiet ?? false };
}

export interface QueueWorkerIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Aborted on Ctrl-C or SIGTERM: the worker finishes its paths and stops. */
  signal: AbortSignal;
}

/** Runs the command; returns the exit code. */
export async function queueWorker(argv: string[], io: QueueWorkerIo): Promise<number> {
  let args: QueueWorkerArgs;
  try {
    args = parseQueueWorkerArgs(argv);
  } catch (e) {
    if (e instanceof UsageError || e instanceof QueueUrlError) {
      io.stderr.write(`error: ${e.message}\n${QUEUE_WORKER_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  try {
    await runQueueWorker({
      url: args.url,
      concurrency: args.concurrency,
      lockSeconds: args.lockSeconds,
      signal: io.signal,
      onReady: () => {
        if (!args.quiet) io.stdout.write(`serving ${redactedUrl(args.url)} with ${args.concurrency} path runner${args.concurrency === 1 ? "" : "s"}\n`);
      },
      onJob: ({ runId, job, liquidations, error }) => {
        if (error instanceof RunCancelledError) io.stdout.write(`run ${runId} ${job}: cancelled\n`);
        else if (error !== undefined) io.stderr.write(`run ${runId} ${job}: failed: ${error.message.split("\n")[0] ?? ""}\n`);
        else if (!args.quiet) io.stdout.write(`run ${runId} ${job}: ${liquidations === undefined ? "started" : `${liquidations} liquidations`}\n`);
      },
    });
  } catch (e) {
    if (e instanceof QueueUnreachableError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 3;
    }
    throw e;
  }
  return 0;
}
