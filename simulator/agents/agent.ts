/**
 * An agent as the engine wires it: a name and what it sends in a block. The engine asks every agent
 * of `agentsOf` (./roster.ts) in its fixed order and knows none of them; an agent keeps its own state
 * between blocks (trigger counters, inventories) in its closure.
 */
import type { Address } from "viem";
import type { MarketView, TxIntent } from "../state";
import type { World } from "../world";

/** What one block offers the agents, in the order they act. */
export interface BlockContext {
  world: World;
  /** The block being built (1..blocks). */
  block: number;
  /** The state at the end of the previous block and this block's market prices. */
  view: MarketView;
  /**
   * Push-feed prices already in this block's mempool, per feed (the operator's injected answers, then
   * the keepers' pushes): the oracle agents add to it, and liquidators, which backrun price updates,
   * see the view with them applied.
   */
  pending: Map<string, bigint>;
  /** The block at which each currently liquidatable position's episode began, per position key. */
  episodeStarts: ReadonlyMap<string, number>;
  /** The liquidations the previous block recorded (a perp vault's hedger trades what they handed it). */
  liquidated: readonly { protocol: string; borrower: Address; market: string | null; debtRepaid: bigint }[];
  /**
   * The auto-deleveraging closes of the previous block's losses (a perp vault's hedger trades what they
   * took back from the vault): the account whose loss they covered (`borrower`), the size closed (the
   * venue's size unit) at `priceE8`.
   */
  deleveraged: readonly Deleveraged[];
}

/** One auto-deleveraging close of a loss (`LossShareRecord.closed`), under the loss's protocol, market and holder. */
export interface Deleveraged {
  protocol: string;
  borrower: Address;
  market: string | null;
  size: bigint;
  priceE8: bigint;
}

export interface Agent {
  /** What the agent is, for reading the roster ("feed keeper WETH", "liquidators"). */
  readonly name: string;
  intents(context: BlockContext): TxIntent[];
}
