/**
 * A queue worker's view of cancelled runs: it subscribes to `CANCEL_CHANNEL` and aborts the signal of
 * every job it runs for a run published there. A job also checks the run's cancel mark itself
 * (`isCancelled`), for a cancellation published before the job started or while this worker was away.
 */
import type { Redis } from "ioredis";
import { CANCEL_CHANNEL, cancelKey } from "./pathJobs";

export class CancelWatch {
  private readonly running = new Map<string, Set<AbortController>>();

  private constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
  ) {
    subscriber.on("message", (_channel: string, runId: string) => {
      for (const controller of this.running.get(runId) ?? []) controller.abort();
    });
  }

  /** Subscribes on a connection of its own (a subscribed connection takes no other command). */
  static async start(redis: Redis): Promise<CancelWatch> {
    const subscriber = redis.duplicate();
    subscriber.on("error", () => undefined);
    await subscriber.subscribe(CANCEL_CHANNEL);
    return new CancelWatch(redis, subscriber);
  }

  /** A signal aborted when `runId` is cancelled from now on; `release` it once the job has ended. */
  open(runId: string): { signal: AbortSignal; release: () => void } {
    const controller = new AbortController();
    const set = this.running.get(runId) ?? new Set();
    set.add(controller);
    this.running.set(runId, set);
    return {
      signal: controller.signal,
      release: () => {
        set.delete(controller);
        if (set.size === 0) this.running.delete(runId);
      },
    };
  }

  async isCancelled(runId: string): Promise<boolean> {
    return (await this.redis.exists(cancelKey(runId))) === 1;
  }

  stop(): void {
    this.subscriber.disconnect();
  }
}
