/**
 * Connections to the queue's Redis server. `probeRedis` fails fast (one attempt, no retries) so a
 * wrong or dead `--queue` is reported at once; the connections the run then keeps (`redisOptions`)
 * reconnect and wait through a blip, as BullMQ requires of a worker's (`maxRetriesPerRequest: null`).
 */
import { Redis, type RedisOptions } from "ioredis";
import { QueueUnreachableError } from "./errors";

/** How long the probe waits for the server to answer, in ms. */
const PROBE_TIMEOUT_MS = 5_000;

/** Options of every long-lived connection (ours and BullMQ's): commands wait for a reconnect. */
export const redisOptions: RedisOptions = { maxRetriesPerRequest: null };

/** A connection for the run's own keys (the stored scenario, the run's cancel mark). */
export function openRedis(url: string): Redis {
  return new Redis(url, redisOptions);
}

/** Resolves once the server at `url` answers PING; otherwise a `QueueUnreachableError` naming `--queue`. */
export async function probeRedis(url: string): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's error (ECONNREFUSED, ENOTFOUND) comes as an event; connect() then rejects with "Connection is closed".
  let socketError: Error | undefined;
  probe.on("error", (e: Error) => {
    socketError ??= e;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    const cause = socketError ?? e;
    throw new QueueUnreachableError(`--queue: cannot reach ${redactedUrl(url)}: ${cause instanceof Error ? cause.message.split("\n")[0] : String(cause)}`);
  } finally {
    probe.disconnect();
  }
}

/** `url` without its password, for messages. */
export function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "***";
  return parsed.toString();
}
