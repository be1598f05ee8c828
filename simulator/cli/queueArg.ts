/** `--queue`'s URL for the commands that run through the queue (montecarlo, sweep). */
import { QueueUrlError } from "../batch/queue/errors";
import { parseQueueUrl } from "../batch/queue/queueUrl";
import { UsageError } from "./errors";

/** `--queue`'s URL, checked (`parseQueueUrl`); a bad one is a `UsageError` naming `--queue`. */
export function queueArg(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return parseQueueUrl(value);
  } catch (e) {
    if (e instanceof QueueUrlError) throw new UsageError(e.message);
    throw e;
  }
}
