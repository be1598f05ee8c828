/**
 * What differs between the contracts that run isolated (Morpho-style) markets: how a market is named in
 * a call (liqsim's `IsolatedLendingMarket` by index, the real Morpho Blue by its `MarketParams`), which
 * lens reads it, which contract liquidates atomically, and whether the market counts its bad debt. The
 * rules are the same (the two agree to the wei: docs/real-protocols.md), so everything else of the
 * isolated venue serves both.
 */
import type { Address, Hex } from "viem";
import type { ContractHandle, LiquidatorAccount, World, WorldIsolatedMarket, WorldIsolatedProtocol } from "../../world";

export interface IsolatedImplementation {
  /** The lens whose `getMarketSnapshot(...marketArgs)` and `getPositions(...marketArgs, users)` read the market. */
  lens(world: World, p: WorldIsolatedProtocol): ContractHandle;
  /** The lens calls' arguments that name market `m`. */
  marketArgs(p: WorldIsolatedProtocol, m: WorldIsolatedMarket): readonly unknown[];
  liquidate(p: WorldIsolatedProtocol, m: WorldIsolatedMarket, borrower: Address, seizedAssets: bigint, repaidShares: bigint): Hex;
  /** Repays `amount` loan assets of `onBehalf`'s debt. */
  repay(p: WorldIsolatedProtocol, m: WorldIsolatedMarket, amount: bigint, onBehalf: Address): Hex;
  supplyCollateral(p: WorldIsolatedProtocol, m: WorldIsolatedMarket, amount: bigint, onBehalf: Address): Hex;
  /** The liquidator's atomic liquidation through `pair` (contract and call), or null when it has no contract for this implementation. */
  atomicLiquidate(
    liquidator: LiquidatorAccount,
    p: WorldIsolatedProtocol,
    m: WorldIsolatedMarket,
    call: { borrower: Address; seizedAssets: bigint; repaidShares: bigint; pair: Address },
  ): { to: Address; data: Hex } | null;
  /** Whether the market keeps a running total of its bad debt (`MarketState.badDebtAssets`), which `--check` holds to the events'. */
  countsBadDebt: boolean;
}

/** liqsim's `IsolatedLendingMarket`: markets by index, read by the world's `IsolatedMarketLens`, atomically liquidated by `AtomicLiquidator`. */
export const MOCK_ISOLATED: IsolatedImplementation = {
  lens: (world) => world.isolatedLens,
  marketArgs: (p, m) => [p.market.address, m.id],
  liquidate: (p, m, borrower, seized, shares) => p.market.encode("liquidate", [m.id, borrower, seized, shares]),
  repay: (p, m, amount, onBehalf) => p.market.encode("repay", [m.id, amount, onBehalf]),
  supplyCollateral: (p, m, amount, onBehalf) => p.market.encode("supplyCollateral", [m.id, amount, onBehalf]),
  atomicLiquidate: (liquidator, p, m, c) =>
    liquidator.atomic === null
      ? null
      : { to: liquidator.atomic.address, data: liquidator.atomic.encode("liquidateIsolated", [p.market.address, m.id, c.borrower, c.seizedAssets, c.repaidShares, c.pair, 0n]) },
  countsBadDebt: true,
};

/** The world market behind a market view (by its index in the protocol). */
export function worldMarketOf(p: WorldIsolatedProtocol, id: bigint): WorldIsolatedMarket {
  const m = p.markets.find((x) => x.id === id);
  if (!m) throw new Error(`internal: market ${id} of ${p.spec.name} is not deployed`);
  return m;
}
