/**
 * The real Morpho Blue 1.0 as an isolated-markets implementation: a market is named by its
 * `MarketParams` in calls and by its id in storage; read by our `MorphoBlueLens`; atomically liquidated by
 * our `MorphoAtomicLiquidator` (Morpho calls it back between sending the collateral and pulling the
 * repayment); no running total of bad debt.
 */
import type { MorphoMarketParams, WorldIsolatedMarket, WorldMarketsProtocol, WorldMorphoProtocol } from "../../world";
import type { IsolatedImplementation } from "../isolated/implementation";

/** The protocol as a Morpho Blue one (it throws for one on liqsim's market). */
export function morphoProtocol(p: WorldMarketsProtocol): WorldMorphoProtocol {
  if (p.kind !== "morpho-blue-1.0") throw new Error(`internal: ${p.spec.name} runs on ${p.kind}, not on Morpho Blue`);
  return p;
}

/** A market's `MarketParams` (set when the market was created). */
export function paramsOf(p: WorldMarketsProtocol, m: WorldIsolatedMarket): MorphoMarketParams {
  if (m.morpho === null) throw new Error(`internal: market ${m.key} of ${p.spec.name} is not a Morpho Blue market`);
  return m.morpho.params;
}

export const MORPHO_BLUE: IsolatedImplementation = {
  snapshot: (batch, _world, p, m) => batch.add(morphoProtocol(p).morphoLens, "getMarketSnapshot", [p.market.address, paramsOf(p, m)]),
  positions: (batch, _world, p, m, users) => batch.add(morphoProtocol(p).morphoLens, "getPositions", [p.market.address, paramsOf(p, m), users]),
  readPositions: (world, p, m, users) => morphoProtocol(p).morphoLens.read(world.chain, "getPositions", [p.market.address, paramsOf(p, m), users]),
  // Morpho's `liquidate(marketParams, borrower, seizedAssets, repaidShares, data)`; no callback.
  liquidate: (p, m, borrower, seized, shares) => morphoProtocol(p).market.encode("liquidate", [paramsOf(p, m), borrower, seized, shares, "0x"]),
  // `repay(marketParams, assets, shares, onBehalf, data)`: assets given, shares 0.
  repay: (p, m, amount, onBehalf) => morphoProtocol(p).market.encode("repay", [paramsOf(p, m), amount, 0n, onBehalf, "0x"]),
  supplyCollateral: (p, m, amount, onBehalf) => morphoProtocol(p).market.encode("supplyCollateral", [paramsOf(p, m), amount, onBehalf, "0x"]),
  atomicLiquidate: (liquidator, p, m, c) =>
    liquidator.morphoAtomic === null
      ? null
      : {
          to: liquidator.morphoAtomic.address,
          data: liquidator.morphoAtomic.encode("liquidate", [p.market.address, paramsOf(p, m), c.borrower, c.seizedAssets, c.repaidShares, c.pair, 0n]),
        },
  countsBadDebt: false,
};
