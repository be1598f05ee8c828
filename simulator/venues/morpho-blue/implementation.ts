/**
 * The real Morpho Blue 1.0 as an isolated-markets implementation: a market is named by its
 * `MarketParams` in calls and by its id in storage; read by our `MorphoBlueLens`; atomically liquidated by
 * our `MorphoAtomicLiquidator` (Morpho calls it back between sending the collateral and pulling the
 * repayment); no running total of bad debt.
 */
import type { MorphoMarketParams, WorldIsolatedMarket, WorldIsolatedProtocol } from "../../world";
import type { IsolatedImplementation } from "../isolated/implementation";

function paramsOf(p: WorldIsolatedProtocol, m: WorldIsolatedMarket): MorphoMarketParams {
  if (m.morpho === null) throw new Error(`internal: market ${m.key} of ${p.spec.name} is not a Morpho Blue market`);
  return m.morpho.params;
}

export const MORPHO_BLUE: IsolatedImplementation = {
  lens: (_, p) => {
    if (p.morphoLens === null) throw new Error(`internal: ${p.spec.name} has no Morpho Blue lens`);
    return p.morphoLens;
  },
  marketArgs: (p, m) => [p.market.address, paramsOf(p, m)],
  // Morpho's `liquidate(marketParams, borrower, seizedAssets, repaidShares, data)`; no callback.
  liquidate: (p, m, borrower, seized, shares) => p.market.encode("liquidate", [paramsOf(p, m), borrower, seized, shares, "0x"]),
  // `repay(marketParams, assets, shares, onBehalf, data)`: assets given, shares 0.
  repay: (p, m, amount, onBehalf) => p.market.encode("repay", [paramsOf(p, m), amount, 0n, onBehalf, "0x"]),
  supplyCollateral: (p, m, amount, onBehalf) => p.market.encode("supplyCollateral", [paramsOf(p, m), amount, onBehalf, "0x"]),
  atomicLiquidate: (liquidator, p, m, c) =>
    liquidator.morphoAtomic === null
      ? null
      : {
          to: liquidator.morphoAtomic.address,
          data: liquidator.morphoAtomic.encode("liquidate", [p.market.address, paramsOf(p, m), c.borrower, c.seizedAssets, c.repaidShares, c.pair, 0n]),
        },
  countsBadDebt: false,
};
