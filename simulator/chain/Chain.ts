/**
 * The only module that knows which chain liqsim runs on: Hardhat's in-process EIP-1193 provider (the
 * default: fastest, nothing to start), a JSON-RPC URL (`npx hardhat node`, anvil, any dev chain with
 * the Hardhat/anvil test methods) or an anvil this process started (`openChain`, stopped by `close`).
 * Everything else talks to a `Chain`.
 *
 * The engine drives mining itself (automine off), so sending a transaction returns at once and its
 * receipt exists only after `mine`. Nonces and fees are managed here, not asked of the node.
 */
import { createPublicClient, custom, http, toHex, type Address, type EIP1193Provider, type Hex, type PublicClient } from "viem";
import { getHttpRpcClient, type HttpRpcClient } from "viem/utils";
import { ChainError } from "./errors";
import { batchChunks, HARDHAT_NODE_MAX_CALLS_PER_BATCH, MAX_CALLS_PER_BATCH, sendHttpBatch, type RpcCall } from "./httpBatch";

/** in-process: Hardhat's network in this process; rpc: a node at a URL; anvil: an anvil liqsim started for the run. */
export type ChainKind = "in-process" | "rpc" | "anvil";
export type NodeFlavor = "hardhat" | "anvil";

export interface TxRequest {
  from: Address;
  to?: Address;
  data: Hex;
  /** Gas limit; the engine uses fixed limits per action, so no estimation round trip is needed. */
  gas: bigint;
  /** Priority fee bid, wei per gas. */
  priorityFeeWei: bigint;
  /** Cap on the total fee per gas; defaults to twice the next base fee plus the priority fee. */
  maxFeeWei?: bigint;
  value?: bigint;
}

export interface SentTx {
  hash: Hex;
  from: Address;
  nonce: number;
}

/** What the node said to one transaction of `sendAll`: taken into the mempool, or refused (the error `send` would throw). */
export type SendOutcome = { ok: true; sent: SentTx } | { ok: false; error: ChainError };

/** A call's answer in `rpcBatch`: its result, or the `ChainError` (naming the method) the node's refusal became. */
export type RpcOutcome = { ok: true; result: unknown } | { ok: false; error: ChainError };

export interface Receipt {
  hash: Hex;
  status: "success" | "reverted";
  gasUsed: bigint;
  effectiveGasPrice: bigint;
  blockNumber: bigint;
  contractAddress: Address | null;
  logs: { address: Address; topics: Hex[]; data: Hex; logIndex: number }[];
}

/** Whether a chain error means the node itself is unreachable (rather than a call that reverted). */
export function isNodeUnreachable(e: unknown): boolean {
  let text = "";
  for (let c: unknown = e, depth = 0; c && depth < 6; depth++, c = (c as { cause?: unknown }).cause) {
    text += ` ${String((c as Error).message ?? "")}`;
  }
  text = text.toLowerCase();
  return ["econnrefused", "econnreset", "fetch failed", "http request failed", "socket", "timed out", "network"].some((w) => text.includes(w));
}

/** A connection the node closed under a request (not a node that is down: that is ECONNREFUSED). */
export function isConnectionDropped(e: unknown): boolean {
  let text = "";
  for (let c: unknown = e, depth = 0; c && depth < 6; depth++, c = (c as { cause?: unknown }).cause) {
    text += ` ${String((c as Error).message ?? "")} ${String((c as { code?: unknown }).code ?? "")}`;
  }
  text = text.toLowerCase();
  return ["other side closed", "econnreset", "socket hang up", "und_err_socket"].some((w) => text.includes(w));
}

/** One JSON-RPC method's calls in `ChainStats`. */
export interface MethodStats {
  /** Calls, those inside batch requests included. */
  calls: number;
  /** Of `calls`, those sent inside a batch request. */
  batched: number;
  /** Summed durations: a batched call counts its batch's duration divided by the batch's calls. */
  ms: number;
}

/** Requests this `Chain` sent to the node and the time spent waiting for them (read by `npm run bench`). */
export interface ChainStats {
  /** Requests sent to the node: a batch request (over HTTP) counts once, however many calls it holds. */
  rpcCalls: number;
  /** Of `rpcCalls`, the batch requests. */
  batches: number;
  /** Wall-clock milliseconds during which at least one request was outstanding. */
  rpcMs: number;
  /** Per JSON-RPC method (the sum of `ms` exceeds `rpcMs` when requests overlap). */
  byMethod: Map<string, MethodStats>;
  /** Requests sent again because the node dropped their connection. */
  retries: number;
}

/** How long the engine waits for one HTTP request (a single call or a batch) before the node counts as failed. */
const HTTP_TIMEOUT_MS = 30_000;

/** The environment variable that sets how many block states Hardhat's engine (EDR) keeps. */
export const EDR_CACHED_STATES_VARIABLE = "__EDR_MAX_CACHED_STATES";

export class Chain {
  readonly stats: ChainStats = { rpcCalls: 0, batches: 0, rpcMs: 0, byMethod: new Map(), retries: 0 };
  private inFlight = 0;
  private busySinceMs = 0;
  private readonly nonces = new Map<Address, number>();
  private readonly pending: SentTx[] = [];
  private nextBaseFeeWei = 0n;
  /** Whether the node mines blocks at one timestamp (`minesBlocksAtSameTimestamp`), once asked. */
  private sameTimestampBlocks: boolean | undefined;
  /** Whether anvil impersonates every account (`fundAccounts`). */
  private autoImpersonating = false;
  /** Number of the last block this engine mined, to notice a node restarted or mined by others. */
  private lastMinedBlock: bigint | undefined;
  /** The engine's nonces and last mined block when each snapshot was taken, so a revert restores them. */
  private readonly snapshots = new Map<Hex, { nonces: Map<Address, number>; lastMinedBlock: bigint | undefined }>();

  private constructor(
    readonly kind: ChainKind,
    readonly flavor: NodeFlavor,
    readonly chainId: number,
    readonly client: PublicClient,
    readonly url: string | undefined,
    private readonly startedNode: { stop(): Promise<void> } | undefined,
    /** The node's HTTP endpoint, for batch requests; undefined for an EIP-1193 provider (no batches). */
    private readonly httpNode: { url: string; client: HttpRpcClient } | undefined,
  ) {}

  /** Stops the node this chain started (`openChain`'s anvil); nothing for any other chain. */
  async close(): Promise<void> {
    await this.startedNode?.stop();
  }

  /**
   * Connects to `rpcUrl`, to a given EIP-1193 `provider` (a Hardhat task's `hre.network.provider`),
   * or to Hardhat's in-process network when neither is given. `startedAnvil`: the node at `rpcUrl` is
   * an anvil started for this chain, stopped by `close` (see `openChain`).
   */
  static async connect(
    options: { rpcUrl?: string; provider?: EIP1193Provider; providerKind?: ChainKind; providerUrl?: string; startedAnvil?: { stop(): Promise<void> } } = {},
  ): Promise<Chain> {
    let client: PublicClient;
    let kind: ChainKind;
    let url = options.rpcUrl;
    if (options.provider) {
      url = options.providerUrl;
      client = createPublicClient({ transport: custom(options.provider, { retryCount: 0 }) });
      kind = options.providerKind ?? "rpc";
    } else if (options.rpcUrl === undefined) {
      // Hardhat's engine keeps a copy of the world state for each of the last blocks; with a large world
      // each copy is large (10,000 borrowers: 4.5 GiB peak with the default, 2.7 GiB with one). The
      // engine reads only the latest state (snapshots keep their own), so one copy is enough. Read when
      // the in-process network starts: a user's own setting wins, and a network already started keeps its.
      process.env[EDR_CACHED_STATES_VARIABLE] ??= "1";
      const hre = await import("hardhat");
      const provider = hre.network.provider as unknown as EIP1193Provider;
      client = createPublicClient({ transport: custom(provider, { retryCount: 0 }) });
      kind = "in-process";
    } else {
      client = createPublicClient({ transport: http(options.rpcUrl, { retryCount: 0, timeout: HTTP_TIMEOUT_MS }) });
      kind = "rpc";
    }
    let version: string;
    let chainId: number;
    try {
      version = String(await client.request({ method: "web3_clientVersion" as "eth_chainId" }));
      chainId = await client.getChainId();
    } catch (e) {
      throw new ChainError(`cannot reach the chain at ${options.rpcUrl ?? "the in-process Hardhat network"}`, e);
    }
    const flavor: NodeFlavor = version.toLowerCase().startsWith("anvil") ? "anvil" : "hardhat";
    const httpNode =
      options.provider === undefined && options.rpcUrl !== undefined
        ? { url: options.rpcUrl, client: getHttpRpcClient(options.rpcUrl, { timeout: HTTP_TIMEOUT_MS }) }
        : undefined;
    // A started anvil's URL names a port that is gone after the run: not recorded.
    if (options.startedAnvil) return new Chain("anvil", flavor, chainId, client, undefined, options.startedAnvil, httpNode);
    return new Chain(kind, flavor, chainId, client, url, undefined, httpNode);
  }

  /**
   * A raw JSON-RPC call; node failures become `ChainError`s that name the method. Over HTTP, a request
   * whose connection the node dropped (it closes idle keep-alive connections: Hardhat's node after 5 s)
   * is sent once more on a new connection. A repeated send is safe: the engine sets every nonce, so a
   * duplicate could only be refused.
   */
  async rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.timed(method, () => this.client.request({ method: method as "eth_chainId", params: params as never }))) as T;
      } catch (e) {
        if (this.kind !== "in-process" && attempt === 0 && isConnectionDropped(e)) {
          this.stats.retries++;
          continue;
        }
        throw new ChainError(`${method} failed`, e);
      }
    }
  }

  /**
   * Makes `calls` and returns each one's answer, in their order; a node's refusal of one call is its
   * outcome, not an exception (a node that cannot be reached, or a batch that fails as a whole, still
   * throws a `ChainError`). Over HTTP, two or more calls go as JSON-RPC batch requests (one per
   * MAX_CALLS_PER_BATCH calls to anvil, per HARDHAT_NODE_MAX_CALLS_PER_BATCH to any other node: Hardhat's
   * node gives each call of a batch a thread, and its memory grew with them): one round trip instead of
   * one per call. An EIP-1193 provider has no batches: the calls are made one after the other.
   *
   * `sequence: "ordered"` for calls whose order changes the outcome (sends: the mempool orders equal
   * bids by arrival): batched only on a node that runs a batch's calls in order. Anvil does; Hardhat's
   * node starts them all at once (`Promise.all`), and same-fee transactions then arrive in another order
   * (price-gap's keepers won other liquidations), so there they go one request each.
   */
  async rpcBatch(calls: readonly RpcCall[], sequence: "ordered" | "any"): Promise<RpcOutcome[]> {
    const outcomes: RpcOutcome[] = [];
    const batches = this.httpNode !== undefined && calls.length >= 2 && (sequence === "any" || this.flavor === "anvil");
    if (this.httpNode === undefined || !batches) {
      for (const call of calls) {
        try {
          outcomes.push({ ok: true, result: await this.rpc(call.method, call.params) });
        } catch (e) {
          if (!(e instanceof ChainError) || isNodeUnreachable(e)) throw e;
          outcomes.push({ ok: false, error: e });
        }
      }
      return outcomes;
    }
    const perBatch = this.flavor === "anvil" ? MAX_CALLS_PER_BATCH : HARDHAT_NODE_MAX_CALLS_PER_BATCH;
    for (const chunk of batchChunks(calls, perBatch)) outcomes.push(...(await this.httpBatch(this.httpNode, chunk)));
    return outcomes;
  }

  /** One batch request; sent once more if the node dropped its connection (see `rpc`). */
  private async httpBatch(node: { url: string; client: HttpRpcClient }, calls: RpcCall[]): Promise<RpcOutcome[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const answers = await this.timedBatch(calls, () => sendHttpBatch(node.client, node.url, calls));
        return answers.map((a, i) => (a.ok ? a : { ok: false, error: new ChainError(`${calls[i]?.method ?? "call"} failed`, a.error) }));
      } catch (e) {
        if (attempt === 0 && isConnectionDropped(e)) {
          this.stats.retries++;
          continue;
        }
        const methods = [...new Set(calls.map((c) => c.method))].join(", ");
        throw new ChainError(`a batch of ${calls.length} calls (${methods}) failed`, e);
      }
    }
  }

  private async timed<T>(method: string, request: () => Promise<T>): Promise<T> {
    return this.timedRequest([method], false, request);
  }

  private async timedBatch<T>(calls: readonly RpcCall[], request: () => Promise<T>): Promise<T> {
    return this.timedRequest(calls.map((c) => c.method), true, request);
  }

  /** Times one request to the node holding the calls of `methods` (one, or a batch's). */
  private async timedRequest<T>(methods: readonly string[], batch: boolean, request: () => Promise<T>): Promise<T> {
    const started = performance.now();
    if (this.inFlight++ === 0) this.busySinceMs = started;
    try {
      return await request();
    } finally {
      const ended = performance.now();
      if (--this.inFlight === 0) this.stats.rpcMs += ended - this.busySinceMs;
      const share = (ended - started) / methods.length;
      for (const method of methods) {
        const m = this.stats.byMethod.get(method) ?? { calls: 0, batched: 0, ms: 0 };
        m.calls++;
        if (batch) m.batched++;
        m.ms += share;
        this.stats.byMethod.set(method, m);
      }
      this.stats.rpcCalls++;
      if (batch) this.stats.batches++;
    }
  }

  private testMethod(name: string): string {
    return `${this.flavor}_${name}`;
  }

  async setAutomine(enabled: boolean): Promise<void> {
    await this.rpc("evm_setAutomine", [enabled]);
  }

  async setBlockGasLimit(gas: bigint): Promise<void> {
    await this.rpc("evm_setBlockGasLimit", [toHex(gas)]);
  }

  /** Base fee of the next block; remembered so default fee caps follow it. */
  async setNextBaseFee(wei: bigint): Promise<void> {
    this.nextBaseFeeWei = wei;
    await this.rpc(this.testMethod("setNextBlockBaseFeePerGas"), [toHex(wei)]);
  }

  get nextBaseFee(): bigint {
    return this.nextBaseFeeWei;
  }

  /**
   * Lets the engine send transactions as `address` (an agent's account) and gives it `ethWei` for gas.
   * The account's nonce is asked of the node unless the engine already tracks it, or the caller knows
   * it (`nonce`: 0 for an account that has never sent a transaction on this chain), which saves a read
   * per account when a large world is set up.
   */
  async fundAccount(address: Address, ethWei: bigint, nonce?: number): Promise<void> {
    await this.fundAccounts([address], ethWei, nonce);
  }

  /**
   * `fundAccount` for each of `addresses`, in as few requests as the node allows (a batch request over
   * HTTP). On anvil every account is impersonated at once (`anvil_autoImpersonateAccount`, asked once
   * per chain; a revert keeps it): anvil lists its impersonated accounts for each transaction it is sent,
   * so impersonating 100,000 borrowers one by one made every send cost time in proportion to them
   * (about 1 ms more per send at 20,000). Hardhat has no such switch: each account is impersonated.
   */
  async fundAccounts(addresses: readonly Address[], ethWei: bigint, nonce?: number): Promise<void> {
    if (addresses.length === 0) return;
    if (this.flavor === "anvil" && !this.autoImpersonating) {
      await this.rpc("anvil_autoImpersonateAccount", [true]);
      this.autoImpersonating = true;
    }
    const calls = addresses.flatMap((address) => [
      ...(this.flavor === "anvil" ? [] : [{ method: this.testMethod("impersonateAccount"), params: [address] }]),
      { method: this.testMethod("setBalance"), params: [address, toHex(ethWei)] },
    ]);
    // Impersonating and funding commute across accounts and touch nothing the engine sends.
    for (const answer of await this.rpcBatch(calls, "any")) if (!answer.ok) throw answer.error;
    for (const address of addresses) {
      if (!this.nonces.has(address)) {
        this.nonces.set(address, nonce ?? Number(BigInt(await this.rpc<Hex>("eth_getTransactionCount", [address, "pending"]))));
      }
    }
  }

  /**
   * Whether the node mines a block at the timestamp of the block before it (Hardhat's network with
   * `allowBlocksWithSameTimestamp`, as liqsim's config has it; recent anvil). Asked once, by setting the
   * next block's timestamp to the latest one's: every `mine` sets its own timestamp, so the probe
   * changes no block.
   */
  async minesBlocksAtSameTimestamp(): Promise<boolean> {
    if (this.sameTimestampBlocks === undefined) {
      const latest = await this.latestBlock();
      try {
        await this.rpc("evm_setNextBlockTimestamp", [Number(latest.timestamp)]);
        this.sameTimestampBlocks = true;
      } catch (e) {
        if (isNodeUnreachable(e)) throw e;
        this.sameTimestampBlocks = false;
      }
    }
    return this.sameTimestampBlocks;
  }

  async latestBlock(): Promise<{ number: bigint; timestamp: bigint; baseFeePerGas: bigint; gasUsed: bigint }> {
    const block = await this.timed("eth_getBlockByNumber", () => this.client.getBlock({ blockTag: "latest" }));
    return { number: block.number, timestamp: block.timestamp, baseFeePerGas: block.baseFeePerGas ?? 0n, gasUsed: block.gasUsed };
  }

  /** The next nonce the engine will use for `from` (transactions sent but not yet mined included). */
  nonceOf(from: Address): number {
    const nonce = this.nonces.get(from);
    if (nonce === undefined) throw new ChainError(`account ${from} was not set up with fundAccount`);
    return nonce;
  }

  /** Puts a transaction in the mempool; it is mined by the next `mine`. Throws the node's refusal. */
  async send(tx: TxRequest): Promise<SentTx> {
    const [outcome] = await this.sendAll([tx]);
    if (!outcome) throw new ChainError("internal: sendAll returned no outcome");
    if (!outcome.ok) throw outcome.error;
    return outcome.sent;
  }

  /**
   * Puts `txs` in the mempool in this order, as batch requests to anvil (see `rpcBatch`), and says for each whether
   * the node took it: what sending them one by one with `send` would give, in the same arrival order.
   * A refused transaction takes no nonce, so when its sender has later transactions in the batch (sent
   * with the nonces after it), they and every transaction after the refused one are dropped and sent
   * again (a batch each) with the nonces they would have had. A node that cannot be reached throws.
   */
  async sendAll(txs: readonly TxRequest[]): Promise<SendOutcome[]> {
    const outcomes: SendOutcome[] = [];
    while (outcomes.length < txs.length) {
      const rest = txs.slice(outcomes.length);
      const tried = await this.trySends(rest);
      const cut = tried.findIndex((t, i) => !t.outcome.ok && t.nonce !== undefined && rest.slice(i + 1).some((later) => later.from === rest[i]?.from));
      const kept = cut < 0 ? tried : tried.slice(0, cut + 1);
      for (const { outcome } of kept) {
        if (!outcome.ok) continue;
        this.nonces.set(outcome.sent.from, outcome.sent.nonce + 1);
        this.pending.push(outcome.sent);
      }
      outcomes.push(...kept.map((t) => t.outcome));
      if (cut >= 0) {
        const gapped = tried.slice(cut + 1).flatMap((t) => (t.outcome.ok ? [t.outcome.sent] : []));
        await this.dropAll(gapped.reverse());
      }
    }
    return outcomes;
  }

  /** Sends `txs` with consecutive nonces per sender from the engine's; commits nothing (`sendAll` does). */
  private async trySends(txs: readonly TxRequest[]): Promise<{ outcome: SendOutcome; nonce: number | undefined }[]> {
    const next = new Map<Address, number>();
    const planned = txs.map((tx) => {
      try {
        const nonce = next.get(tx.from) ?? this.nonceOf(tx.from);
        next.set(tx.from, nonce + 1);
        return { nonce };
      } catch (e) {
        if (!(e instanceof ChainError)) throw e;
        return { error: e };
      }
    });
    const calls = txs.flatMap((tx, i) => {
      const nonce = planned[i]?.nonce;
      return nonce === undefined ? [] : [{ method: "eth_sendTransaction", params: [this.transactionParams(tx, nonce)] }];
    });
    const answers = await this.rpcBatch(calls, "ordered");
    let answered = 0;
    return txs.map((tx, i) => {
      const plan = planned[i];
      if (plan?.nonce === undefined) return { outcome: { ok: false, error: plan?.error ?? new ChainError("internal: no nonce planned") }, nonce: undefined };
      const answer = answers[answered++];
      if (!answer) throw new ChainError("internal: a send has no answer");
      const outcome: SendOutcome = answer.ok ? { ok: true, sent: { hash: answer.result as Hex, from: tx.from, nonce: plan.nonce } } : answer;
      return { outcome, nonce: plan.nonce };
    });
  }

  /** `eth_sendTransaction`'s parameter for `tx` at `nonce`; the fee cap defaults to twice the next base fee plus the priority fee. */
  private transactionParams(tx: TxRequest, nonce: number): Record<string, Hex | Address> {
    const maxFee = tx.maxFeeWei ?? this.nextBaseFeeWei * 2n + tx.priorityFeeWei;
    return {
      from: tx.from,
      ...(tx.to ? { to: tx.to } : {}),
      data: tx.data,
      gas: toHex(tx.gas),
      nonce: toHex(nonce),
      maxFeePerGas: toHex(maxFee),
      maxPriorityFeePerGas: toHex(tx.priorityFeeWei),
      value: toHex(tx.value ?? 0n),
    };
  }

  /** Drops `txs` from the node's mempool, in this order (one batch over HTTP); throws if the node refuses one. */
  private async dropAll(txs: readonly SentTx[]): Promise<void> {
    // Drops commute: whatever their order, the same transactions leave the mempool.
    const outcomes = await this.rpcBatch(
      txs.map((tx) => ({ method: this.testMethod("dropTransaction"), params: [tx.hash] })),
      "any",
    );
    const refused = outcomes.find((o) => !o.ok);
    if (refused && !refused.ok) throw refused.error;
  }

  /**
   * Mines one block at `timestamp` with everything in the mempool that fits (ordered by priority fee),
   * returns the receipts of this engine's transactions that made it, and drops the rest (a bid under
   * the base fee, or no room in the block) so they cannot land in a later block unseen.
   */
  async mine(timestamp: bigint): Promise<{ mined: Receipt[]; dropped: SentTx[] }> {
    // `evm_mine` takes the block's timestamp (Hardhat and anvil), and the latest block names its
    // number and its transactions: two calls per block.
    await this.rpc("evm_mine", [Number(timestamp)]);
    const block = await this.rpc<{ number: Hex; transactions: Hex[] } | null>("eth_getBlockByNumber", ["latest", false]);
    if (!block) throw new ChainError("the node has no latest block after mining");
    const mined = BigInt(block.number);
    const previous = this.lastMinedBlock;
    this.lastMinedBlock = mined;
    if (previous !== undefined && mined !== previous + 1n) {
      throw new ChainError(
        mined <= previous
          ? `the node's chain went back from block ${previous} to ${mined}: it was restarted or reverted under the run`
          : `block ${mined} follows block ${previous}: something else is mining on this node`,
      );
    }
    const sent = this.pending.splice(0);
    // The block's transaction list says which were mined, so only theirs need a receipt (one batch
    // over HTTP): a crowded block can leave thousands of bids behind.
    const included = new Set(block.transactions.map((hash) => hash.toLowerCase()));
    const minedTxs = sent.filter((tx) => included.has(tx.hash.toLowerCase()));
    const byHash = await this.receiptsOf(minedTxs);
    const receipts: Receipt[] = [];
    const dropped: SentTx[] = [];
    for (const tx of sent) {
      const r = byHash.get(tx.hash);
      if (r) receipts.push(r);
      else dropped.push(tx);
    }
    await this.dropAll(dropped);
    for (const tx of dropped) {
      const next = this.nonces.get(tx.from) ?? tx.nonce;
      this.nonces.set(tx.from, Math.min(next, tx.nonce));
    }
    return { mined: receipts, dropped };
  }

  /**
   * The receipts of `txs`, by hash: one per transaction, as one batch over HTTP. (Anvil builds each by
   * walking its block's transactions before it, so a block's receipts cost the square of its size;
   * `eth_getBlockReceipts` was measured no cheaper, so set-up blocks on anvil stay small instead:
   * deploy/deployWorld.ts.)
   */
  private async receiptsOf(txs: readonly SentTx[]): Promise<Map<Hex, Receipt>> {
    const byHash = new Map<Hex, Receipt>();
    const answers = await this.rpcBatch(
      txs.map((tx) => ({ method: "eth_getTransactionReceipt", params: [tx.hash] })),
      "any",
    );
    answers.forEach((answer, i) => {
      if (!answer.ok) throw answer.error;
      const tx = txs[i];
      if (tx && answer.result) byHash.set(tx.hash, parseReceipt(answer.result as RawReceipt));
    });
    return byHash;
  }

  /** `eth_call` at the latest block. */
  async call(to: Address, data: Hex, from?: Address): Promise<Hex> {
    return this.rpc<Hex>("eth_call", [{ to, data, ...(from ? { from } : {}) }, "latest"]);
  }

  /**
   * `eth_call` at the latest block with `gas`, and the code of some accounts replaced for this call
   * only (a state override: Hardhat, anvil and geth take it as the call's third parameter).
   */
  async callWithCode(to: Address, data: Hex, gas: bigint, code: ReadonlyMap<Address, Hex>): Promise<Hex> {
    const overrides = Object.fromEntries([...code].map(([address, bytecode]) => [address, { code: bytecode }]));
    return this.rpc<Hex>("eth_call", [{ to, data, gas: toHex(gas) }, "latest", overrides]);
  }

  /** Takes a node snapshot (with the engine's nonces, so a world deployed before it can be reused). */
  async snapshot(): Promise<Hex> {
    const id = await this.rpc<Hex>("evm_snapshot");
    this.snapshots.set(id, { nonces: new Map(this.nonces), lastMinedBlock: this.lastMinedBlock });
    return id;
  }

  /**
   * Reverts to snapshot `id` (consumed: take a new one to revert again). The engine's nonces go back
   * to what they were at the snapshot when it was taken through this `Chain`, else they are forgotten
   * (accounts must be set up again with `fundAccount`).
   */
  async revert(id: Hex): Promise<void> {
    const ok = await this.rpc<boolean>("evm_revert", [id]);
    if (!ok) throw new ChainError(`evm_revert ${id} failed (a snapshot id works once)`);
    const saved = this.snapshots.get(id);
    this.snapshots.delete(id);
    this.nonces.clear();
    for (const [address, nonce] of saved?.nonces ?? []) this.nonces.set(address, nonce);
    this.pending.length = 0;
    this.lastMinedBlock = saved?.lastMinedBlock;
  }
}

interface RawReceipt {
  transactionHash: Hex;
  status: Hex;
  gasUsed: Hex;
  effectiveGasPrice: Hex;
  blockNumber: Hex;
  contractAddress: Address | null;
  logs: { address: Address; topics: Hex[]; data: Hex; logIndex: Hex }[];
}

function parseReceipt(r: RawReceipt): Receipt {
  return {
    hash: r.transactionHash,
    status: BigInt(r.status) === 1n ? "success" : "reverted",
    gasUsed: BigInt(r.gasUsed),
    effectiveGasPrice: BigInt(r.effectiveGasPrice),
    blockNumber: BigInt(r.blockNumber),
    contractAddress: r.contractAddress,
    logs: r.logs.map((l) => ({ address: l.address, topics: l.topics, data: l.data, logIndex: Number(BigInt(l.logIndex)) })),
  };
}
