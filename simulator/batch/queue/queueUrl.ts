/**
 * The `--queue` argument: a Redis URL, `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS).
 * Anything else is a `QueueUrlError` naming `--queue`; the URL is given to ioredis unchanged.
 */
import { QueueUrlError } from "./errors";

export function parseQueueUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QueueUrlError(`--queue: not a URL: ${JSON.stringify(text)} (expected redis://host:port)`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new QueueUrlError(`--queue: must be a redis:// or rediss:// URL, got ${url.protocol.replace(/:$/, "")}:// in ${JSON.stringify(text)}`);
  }
  if (url.hostname === "") throw new QueueUrlError(`--queue: no host in ${JSON.stringify(text)} (expected redis://host:port)`);
  if (url.port !== "" && Number(url.port) < 1) throw new QueueUrlError(`--queue: port must be 1..65535 in ${JSON.stringify(text)}`);
  const db = url.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) throw new QueueUrlError(`--queue: the path must be a database number, got ${JSON.stringify(url.pathname)}`);
  return text;
}
