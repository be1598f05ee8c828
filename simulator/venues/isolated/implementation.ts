/**
 * What differs between the contracts that run isolated (Morpho-style) markets: how a market is named in
 * a call (liqsim's `IsolatedLendingMarket` by index, the real Morpho Blue by its `MarketParams`), which
 * lens reads it (both give the same snapshot shapes), which contract liquidates atomically, and whether
 * the market counts its bad debt. The rules are the same (the two agree to the wei:
 * docs/real-protocols.md), so everything else of the isolated venue serves both.
 */
import type { Address, Hex } from "viem";
import type { BatchRead, BatchSlot, LiquidatorAccount, ProjectResult, World, WorldIsolatedMarket, WorldIsolatedProtocol, WorldMarketsProtocol, WorldProtocol } from "../../world";
import { mockPositionLog, type PositionLog } from "./positionEvents";

/** A market's snapshot and its positions, as both lenses give them. */
export type MarketSnapshot = ProjectResult<"IsolatedMarketLens", "getMarketSnapshot">;
export type PositionSnapshot = ProjectResult<"IsolatedMarketLens", "getPositions">[number];

export interface IsolatedImplementation {
  /** Queues market `m`'s snapshot in the block's batch. */
  snapshot(batch: BatchRead, world: World, p: WorldMarketsProtocol, m: WorldIsolatedMarket): BatchSlot<MarketSnapshot>;
  /** Queues the positions of `users` in market `m`. */
  positions(batch: BatchRead, world: World, p: WorldMarketsProtocol, m: WorldIsolatedMarket, users: readonly Address[]): BatchSlot<readonly PositionSnapshot[]>;
  /** Reads the positions of `users` in market `m` now (`--check`). */
  readPositions(world: World, p: WorldMarketsProtocol, m: WorldIsolatedMarket, users: readonly Address[]): Promise<readonly PositionSnapshot[]>;
  liquidate(p: WorldMarketsProtocol, m: WorldIsolatedMarket, borrower: Address, seizedAssets: bigint, repaidShares: bigint): Hex;
  /** Repays `amount` loan assets of `onBehalf`'s debt. */
  repay(p: WorldMarketsProtocol, m: WorldIsolatedMarket, amount: bigint, onBehalf: Address): Hex;
  supplyCollateral(p: WorldMarketsProtocol, m: WorldIsolatedMarket, amount: bigint, onBehalf: Address): Hex;
  /** The liquidator's atomic liquidation through `pair` (contract and call), or null when it has no contract for this implementation. */
  atomicLiquidate(
    liquidator: LiquidatorAccount,
    p: WorldMarketsProtocol,
    m: WorldIsolatedMarket,
    call: { borrower: Address; seizedAssets: bigint; repaidShares: bigint; pair: Address },
  ): { to: Address; data: Hex } | null;
  /** Whether the market keeps a running total of its bad debt (`MarketState.badDebtAssets`), which `--check` holds to the events'. */
  countsBadDebt: boolean;
  /**
   * A log of the protocol's contract as exact position changes (./positionEvents.ts), so the reader
   * derives positions from a block's logs instead of reading them; absent: every account a log names is read.
   */
  positionLog?(p: WorldMarketsProtocol, log: { topics: readonly Hex[]; data: Hex }): PositionLog | null;
}

/** The protocol as liqsim's market (it throws for one on Morpho Blue). */
export function mockMarket(p: WorldMarketsProtocol): WorldIsolatedProtocol {
  if (p.kind !== "isolated") throw new Error(`internal: ${p.spec.name} runs on ${p.kind}, not on liqsim's market`);
  return p;
}

/** A protocol of isolated markets on either contract; undefined for another kind's. */
export function marketsProtocol(p: WorldProtocol): WorldMarketsProtocol | undefined {
  return p.kind === "isolated" || p.kind === "morpho-blue-1.0" ? p : undefined;
}

/** liqsim's `IsolatedLendingMarket`: markets by index, read by the world's `IsolatedMarketLens`, atomically liquidated by `AtomicLiquidator`. */
export const MOCK_ISOLATED: IsolatedImplementation = {
  snapshot: (batch, world, p, m) => batch.add(world.isolatedLens, "getMarketSnapshot", [p.market.address, m.id]),
  positions: (batch, world, p, m, users) => batch.add(world.isolatedLens, "getPositions", [p.market.address, m.id, users]),
  readPositions: (world, p, m, users) => world.isolatedLens.read(world.chain, "getPositions", [p.market.address, m.id, users]),
  liquidate: (p, m, borrower, seized, shares) => mockMarket(p).market.encode("liquidate", [m.id, borrower, seized, shares]),
  repay: (p, m, amount, onBehalf) => mockMarket(p).market.encode("repay", [m.id, amount, onBehalf]),
  supplyCollateral: (p, m, amount, onBehalf) => mockMarket(p).market.encode("supplyCollateral", [m.id, amount, onBehalf]),
  atomicLiquidate: (liquidator, p, m, c) =>
    liquidator.atomic === null
      ? null
      : { to: liquidator.atomic.address, data: liquidator.atomic.encode("liquidateIsolated", [p.market.address, m.id, c.borrower, c.seizedAssets, c.repaidShares, c.pair, 0n]) },
  countsBadDebt: true,
  positionLog: mockPositionLog,
};

/** The world market behind a market view (by its index in the protocol). */
export function worldMarketOf(p: WorldMarketsProtocol, id: bigint): WorldIsolatedMarket {
  const m = p.markets.find((x) => x.id === id);
  if (!m) throw new Error(`internal: market ${id} of ${p.spec.name} is not deployed`);
  return m;
}
