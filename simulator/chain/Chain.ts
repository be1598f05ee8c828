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
import { ChainError } from "./errors";

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

/** Requests this `Chain` sent to the node and the time spent waiting for them (read by `npm run bench`). */
export interface ChainStats {
  rpcCalls: number;
  /** Wall-clock milliseconds during which at least one request was outstanding. */
  rpcMs: number;
  /** Calls and summed durations per JSON-RPC method (the sum exceeds `rpcMs` when requests overlap). */
  byMethod: Map<string, { calls: number; ms: number }>;
  /** Requests sent again because the node dropped their connection. */
  retries: number;
}

/** The environment variable that sets how many block states Hardhat's engine (EDR) keeps. */
export const EDR_CACHED_STATES_VARIABLE = "__EDR_MAX_CACHED_STATES";

export class Chain {
  readonly stats: ChainStats = { rpcCalls: 0, rpcMs: 0, byMethod: new Map(), retries: 0 };
  private inFlight = 0;
  private busySinceMs = 0;
  private readonly nonces = new Map<Address, number>();
  private readonly pending: SentTx[] = [];
  private nextBaseFeeWei = 0n;
  /** Whether the node mines blocks at one timestamp (`minesBlocksAtSameTimestamp`), once asked. */
  private sameTimestampBlocks: boolean | undefined;
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
      client = createPublicClient({ transport: http(options.rpcUrl, { retryCount: 0, timeout: 30_000 }) });
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
    // A started anvil's URL names a port that is gone after the run: not recorded.
    if (options.startedAnvil) return new Chain("anvil", flavor, chainId, client, undefined, options.startedAnvil);
    return new Chain(kind, flavor, chainId, client, url, undefined);
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

  private async timed<T>(method: string, request: () => Promise<T>): Promise<T> {
    const started = performance.now();
    if (this.inFlight++ === 0) this.busySinceMs = started;
    try {
      return await request();
    } finally {
      const ended = performance.now();
      if (--this.inFlight === 0) this.stats.rpcMs += ended - this.busySinceMs;
      const m = this.stats.byMethod.get(method) ?? { calls: 0, ms: 0 };
      m.calls++;
      m.ms += ended - started;
      this.stats.byMethod.set(method, m);
      this.stats.rpcCalls++;
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
    await this.rpc(this.testMethod("impersonateAccount"), [address]);
    await this.rpc(this.testMethod("setBalance"), [address, toHex(ethWei)]);
    if (!this.nonces.has(address)) {
      this.nonces.set(address, nonce ?? Number(BigInt(await this.rpc<Hex>("eth_getTransactionCount", [address, "pending"]))));
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

  /** Puts a transaction in the mempool; it is mined by the next `mine`. */
  async send(tx: TxRequest): Promise<SentTx> {
    const nonce = this.nonceOf(tx.from);
    const maxFee = tx.maxFeeWei ?? this.nextBaseFeeWei * 2n + tx.priorityFeeWei;
    const hash = await this.rpc<Hex>("eth_sendTransaction", [
      {
        from: tx.from,
        ...(tx.to ? { to: tx.to } : {}),
        data: tx.data,
        gas: toHex(tx.gas),
        nonce: toHex(nonce),
        maxFeePerGas: toHex(maxFee),
        maxPriorityFeePerGas: toHex(tx.priorityFeeWei),
        value: toHex(tx.value ?? 0n),
      },
    ]);
    this.nonces.set(tx.from, nonce + 1);
    const sent = { hash, from: tx.from, nonce };
    this.pending.push(sent);
    return sent;
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
    const receipts: Receipt[] = [];
    const dropped: SentTx[] = [];
    // The block's transaction list says which were mined, so only theirs need a receipt: a crowded
    // block can leave thousands of bids behind.
    const included = new Set(block.transactions.map((hash) => hash.toLowerCase()));
    for (const tx of sent) {
      const r = included.has(tx.hash.toLowerCase()) ? await this.rpc<RawReceipt | null>("eth_getTransactionReceipt", [tx.hash]) : null;
      if (r) receipts.push(parseReceipt(r));
      else dropped.push(tx);
    }
    for (const tx of dropped) {
      await this.rpc(this.testMethod("dropTransaction"), [tx.hash]);
      const next = this.nonces.get(tx.from) ?? tx.nonce;
      this.nonces.set(tx.from, Math.min(next, tx.nonce));
    }
    return { mined: receipts, dropped };
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
