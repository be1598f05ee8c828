/**
 * JSON-RPC batches over HTTP: many calls in one request (a JSON array), answered in one response, each
 * call with its own result or error. A local node spends about 1.3 ms per HTTP round trip; a block's
 * receipts and drops (and on anvil its sends: `Chain.rpcBatch`) then cost one round trip each instead
 * of one per transaction.
 *
 * Hardhat's node answers a batch by starting all its calls at once, and its engine (EDR) gives each
 * running call a thread of its own (tokio's blocking pool, up to 512): a batch of 500 receipts left
 * the node with 513 threads, each keeping the memory its allocator (mimalloc) had handed out there.
 * At 1,000 borrowers x 100 blocks the node's peak was 10.7 GiB with batches of 500, 3.0 GiB with 16
 * and 1.4 GiB with none; so on Hardhat's node a batch holds at most HARDHAT_NODE_MAX_CALLS_PER_BATCH.
 *
 * The transport is viem's (`getHttpRpcClient`, what its `http` transport batches with); the calls are
 * grouped here rather than by viem's time-window batching, so a batch is exactly the calls the caller
 * names, in its order, and each HTTP request can be counted.
 */
import { RpcRequestError } from "viem";
import type { HttpRpcClient } from "viem/utils";

/** One call of a batch. */
export interface RpcCall {
  method: string;
  params: unknown[];
}

/** A call's answer: its result, or the error the node answered with. */
export type RpcAnswer = { ok: true; result: unknown } | { ok: false; error: Error };

/**
 * Most calls in one HTTP request, and most bytes of their JSON: a crowded block's sends are split into
 * several requests, so no request nears the body limits nodes put on a request and no answer nears
 * viem's 10 MiB response limit.
 */
export const MAX_CALLS_PER_BATCH = 500;
export const MAX_BATCH_BYTES = 1_000_000;
/** Most calls in one batch to Hardhat's node: as many threads as the node starts for it (see above). */
export const HARDHAT_NODE_MAX_CALLS_PER_BATCH = 4;

/** `calls` cut into consecutive batches of at most `maxCalls` calls and (but for a lone call) MAX_BATCH_BYTES. */
export function batchChunks(calls: readonly RpcCall[], maxCalls: number = MAX_CALLS_PER_BATCH): RpcCall[][] {
  const chunks: RpcCall[][] = [];
  let current: RpcCall[] = [];
  let bytes = 0;
  for (const call of calls) {
    const size = JSON.stringify(call).length;
    if (current.length > 0 && (current.length >= maxCalls || bytes + size > MAX_BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(call);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

interface RpcResponseItem {
  id?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/**
 * Sends `calls` as one batch request to the node at `url` and returns each call's answer, in the order
 * of `calls` (a node may answer a batch in any order: answers are matched by id). Throws when the
 * request as a whole fails (no connection, an HTTP error, a timeout) or the answer is not one response
 * per call.
 */
export async function sendHttpBatch(client: HttpRpcClient, url: string, calls: readonly RpcCall[]): Promise<RpcAnswer[]> {
  const body = calls.map((call, id) => ({ jsonrpc: "2.0" as const, id, method: call.method, params: call.params }));
  const responses = (await client.request({ body })) as unknown;
  if (!Array.isArray(responses)) throw new Error(`the node answered a batch of ${calls.length} calls with ${JSON.stringify(responses).slice(0, 200)}`);
  const byId = new Map<unknown, RpcResponseItem>((responses as RpcResponseItem[]).map((r) => [r.id, r]));
  return body.map((request): RpcAnswer => {
    const response = byId.get(request.id);
    if (response === undefined) throw new Error(`the node's answer to a batch of ${calls.length} calls has none for call ${request.id} (${request.method})`);
    if (response.error !== undefined) return { ok: false, error: new RpcRequestError({ body: request, error: response.error, url }) };
    return { ok: true, result: response.result };
  });
}
