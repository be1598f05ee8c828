/** Errors of the distributed (queue) runs; each message is one line. */

/** The `--queue` argument is not a Redis URL (exit 2). */
export class QueueUrlError extends Error {
  override readonly name = "QueueUrlError";
}

/** The queue's Redis server could not be reached or refused us (exit 3). */
export class QueueUnreachableError extends Error {
  override readonly name = "QueueUnreachableError";
}

/** A job failed on a worker (or stalled too often): the run fails, naming the job ("path 2", "variant 2"). */
export class QueuePathError extends Error {
  override readonly name = "QueuePathError";
  constructor(
    readonly job: string,
    readonly details: string,
  ) {
    super(`${job} failed on a queue worker: ${details.split("\n")[0] ?? ""}`);
  }
}
