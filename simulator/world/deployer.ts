/**
 * The primitives every stage of a world's set-up uses (`simulator/deploy/` runs the stages, and each
 * venue deploys its protocols with them): deploy a contract at the deployer's next nonce, send a
 * transaction, fund an agent, mint and approve tokens, mine a set-up block at its phase's timestamp.
 *
 * Set-up blocks are mined at explicit timestamps ending with block 0 at the scenario's start. A large
 * world's phases 2-4 are mined as several blocks at the phase's timestamp, with at most
 * `positionsPerBlock` borrowers' transactions in each, when the chain mines blocks at one timestamp:
 * Hardhat's network hands back a trace of every EVM step of a block's transactions when it mines the
 * block, so its memory peak grows with the block (about 2 MB per borrow). No time passes between
 * blocks at one timestamp, so positions, interest and prices come out as from one block.
 */
import { getContractAddress, keccak256, toBytes, type Abi, type Address, type ContractConstructorArgs, type Hex } from "viem";
import type { Chain, TxRequest } from "../chain";
import { MAX_UINT256 } from "../math";
import { ContractHandle, deployData, type Artifact } from "./contracts";
import { GAS } from "./gas";
import { required, type WorldAsset, type WorldOracle } from "./types";

/** Set-up blocks before block 0 (phases 1-3; phase 4 is block 0). */
export const SETUP_BLOCKS = 4n;
const SETUP_BLOCK_GAS_LIMIT = 2_000_000_000n;
const AGENT_ETH = 10n ** 24n;
const SETUP_PRIORITY_FEE = 1n;
/** Queued set-up requests sent together (see `Deployer.flush`). */
const FLUSH_AT = 1_000;

/** A set-up request the deployer has queued: an agent to fund, or a transaction to send. */
type Queued = { kind: "fund"; address: Address } | { kind: "send"; tx: TxRequest };

/** A deterministic account address for `label` (impersonated on the dev chain). */
export function accountAddress(label: string): Address {
  return `0x${keccak256(toBytes(`liqsim/${label}`)).slice(-40)}` as Address;
}

export class Deployer {
  /** The deployer account: passive liquidity provider, source of borrowers' collateral, owner of every contract. */
  readonly address = accountAddress("deployer");
  /** Tokens and push feeds by symbol, as deployed (stage 1). */
  readonly assets = new Map<string, WorldAsset>();
  /** AMM-read feeds by name, as deployed (stage 3). */
  readonly oracles = new Map<string, WorldOracle>();
  /** Funds and sends not yet made, in their order (`flush`). */
  private readonly queue: Queued[] = [];

  private constructor(
    readonly chain: Chain,
    /** Timestamp of block 0. */
    readonly startTimestamp: bigint,
    private readonly positionsPerBlock: number,
    private readonly splitBlocks: boolean,
    /** 0 while the deployer has sent nothing on this chain (see `start`), so agents' nonces need no asking. */
    private readonly freshNonce: number | undefined
  ) {}

  /** Takes over the chain for set-up (automine off, a large gas limit, no base fee) and funds the deployer. */
  static async start(chain: Chain, scenarioStart: bigint, positionsPerBlock: number): Promise<Deployer> {
    const latest = await chain.latestBlock();
    // The chain cannot go back in time: start at the scenario's timestamp, or right after the chain's present.
    const startTimestamp = latest.timestamp + SETUP_BLOCKS < scenarioStart ? scenarioStart : latest.timestamp + SETUP_BLOCKS + 1n;
    await chain.setAutomine(false);
    await chain.setBlockGasLimit(SETUP_BLOCK_GAS_LIMIT);
    await chain.setNextBaseFee(0n);
    const deployer = accountAddress("deployer");
    await chain.fundAccount(deployer, AGENT_ETH);
    // Agents' accounts send transactions only in a world the deployer set up, so while the deployer has
    // sent none on this chain (a fresh chain, or one reverted to before a world), neither has any of
    // them: their nonces are 0, not asked of the node one by one. Otherwise (a node that already holds
    // a world, e.g. a second `npm run deploy`) each account's nonce is read.
    const freshNonce = chain.nonceOf(deployer) === 0 ? 0 : undefined;
    return new Deployer(chain, startTimestamp, positionsPerBlock, await chain.minesBlocksAtSameTimestamp(), freshNonce);
  }

  /**
   * Queues a transaction: it reaches the mempool, in this order, at the next `flush` (which `mine`,
   * `deploy` and every `FLUSH_AT` queued requests make). A world's set-up sends a transaction or two
   * per borrower, and over HTTP one request each cost a round trip: queued, they go as batch requests
   * (`Chain.sendAll`) in the same order, so the same blocks are mined. A refusal throws at the flush.
   */
  async send(from: Address, to: Address | undefined, data: Hex, gas: bigint): Promise<void> {
    this.queue.push({ kind: "send", tx: { from, ...(to ? { to } : {}), data, gas, priorityFeeWei: SETUP_PRIORITY_FEE, maxFeeWei: 10n ** 12n } });
    if (this.queue.length >= FLUSH_AT) await this.flush();
  }

  /**
   * Makes the queued requests, in their order: each run of funds as one `Chain.fundAccounts`, each run
   * of sends as one `Chain.sendAll`. Code that sends on `chain` itself (a real protocol's transactor)
   * flushes first.
   */
  async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const kind = this.queue[0]?.kind;
      let end = 0;
      while (end < this.queue.length && this.queue[end]?.kind === kind) end++;
      const run = this.queue.splice(0, end);
      if (kind === "fund") {
        await this.chain.fundAccounts(run.flatMap((q) => (q.kind === "fund" ? [q.address] : [])), AGENT_ETH, this.freshNonce);
      } else {
        const outcomes = await this.chain.sendAll(run.flatMap((q) => (q.kind === "send" ? [q.tx] : [])));
        const refused = outcomes.find((o) => !o.ok);
        if (refused && !refused.ok) throw refused.error;
      }
    }
  }

  /** Deploys `data` from the deployer; its address follows from the deployer's nonce. */
  async deploy(data: Hex, gas: bigint): Promise<Address> {
    await this.flush();
    const address = getContractAddress({ from: this.address, nonce: BigInt(this.chain.nonceOf(this.address)) });
    await this.send(this.address, undefined, data, gas);
    return address;
  }

  /** Deploys `artifact` with constructor `args` and returns its handle. */
  async deployContract<TAbi extends Abi>(artifact: Artifact<TAbi>, args: ContractConstructorArgs<TAbi>, gas: bigint): Promise<ContractHandle<TAbi>> {
    const data = (deployData as (artifact: Artifact<Abi>, args: readonly unknown[]) => Hex)(artifact, args as readonly unknown[]);
    return new ContractHandle(await this.deploy(data, gas), artifact.abi);
  }

  /** Queues funding `address` for gas and letting the engine send as it (see `send`). */
  async fundAgent(address: Address): Promise<void> {
    this.queue.push({ kind: "fund", address });
    if (this.queue.length >= FLUSH_AT) await this.flush();
  }

  asset(symbol: string): WorldAsset {
    return required(this.assets.get(symbol), `asset ${symbol}`);
  }

  /** The address of a feed reference: an AMM-read feed's name or an asset's push feed. */
  feedAddress(name: string): Address {
    return this.oracles.get(name)?.feed.address ?? this.asset(name).feed.address;
  }

  async mint(symbol: string, to: Address, amount: bigint): Promise<void> {
    const token = this.asset(symbol).token;
    if (amount > 0n) await this.send(this.address, token.address, token.encode("mint", [to, amount]), GAS.setup);
  }

  async approve(from: Address, symbol: string, spender: Address): Promise<void> {
    const token = this.asset(symbol).token;
    await this.send(from, token.address, token.encode("approve", [spender, MAX_UINT256]), GAS.setup);
  }

  /** Mines set-up block `phase` (1-3, 4 = block 0) at its timestamp; throws if any transaction failed. */
  async mine(phase: bigint): Promise<void> {
    await this.flush();
    const { mined, dropped } = await this.chain.mine(this.startTimestamp - SETUP_BLOCKS + phase);
    const failed = mined.filter((r) => r.status !== "success");
    if (failed.length > 0 || dropped.length > 0) {
      throw new Error(`world set-up block ${phase}: ${failed.length} transaction(s) reverted, ${dropped.length} not mined`);
    }
  }

  /**
   * Before `positions` more borrowers' transactions of `phase`: mines the block so far if they would
   * overfill it. `batched`: each of the phase's transactions carries many borrowers (a `BulkSupplier`
   * batch), so a block holds few transactions; on anvil, whose receipts cost the square of a block's
   * transactions and whose every block rebuilds its state trie, such a block holds ten times the
   * borrowers (Hardhat keeps one trace per borrower's work, so there it holds the same).
   */
  blockRoom(phase: bigint, batched = false): (positions: number) => Promise<void> {
    const capacity = this.positionsPerBlock * (batched && this.chain.flavor === "anvil" ? 10 : 1);
    let inBlock = 0;
    return async (positions) => {
      if (this.splitBlocks && inBlock > 0 && inBlock + positions > capacity) {
        await this.mine(phase);
        inBlock = 0;
      }
      inBlock += positions;
    };
  }

  /** Borrowers whose set-up transactions share a block (where the chain mines blocks at one timestamp). */
  get blockPositions(): number {
    return this.positionsPerBlock;
  }
}
