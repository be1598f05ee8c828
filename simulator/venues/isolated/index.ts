/**
 * The isolated lending venue: one `IsolatedLendingMarket` singleton per protocol holding Morpho-style
 * markets (one collateral, one loan asset, an LLTV and its liquidation incentive; bad debt socialized to
 * the market's suppliers).
 */
import { isolatedMarketOf } from "../../world";
import type { Venue } from "../types";
import { isolatedDefense } from "./defense";
import { isolatedDeployment } from "./deployment";
import { isolatedEvents } from "./events";
import { isolatedLiquidations } from "./keeper";
import { checkIsolatedLiquidation, checkIsolatedState } from "./invariants";
import { isolatedLoopLeg } from "./loopLeg";
import { isolatedWithPendingPrices } from "./pendingPrices";
import { isolatedReader } from "./reader";
import { isolatedValuation } from "./valuation";

export const isolatedVenue: Venue = {
  kind: "isolated",
  ...isolatedDeployment,
  addresses: (p) =>
    p.kind === "isolated"
      ? { type: "isolated", market: p.market.address, markets: p.markets.map((m) => ({ id: m.id.toString(), market: m.key })) }
      : undefined,
  borrowerAddresses: (p, b) =>
    p.kind === "isolated"
      ? {
          market: p.market.address,
          markets: b.group.collateral.map((c) => {
            const m = isolatedMarketOf(p, c.asset, b.group.debt);
            return { id: m.id.toString(), market: m.key };
          }),
        }
      : {},
  withPendingPrices: isolatedWithPendingPrices,
  defend: isolatedDefense,
  liquidations: isolatedLiquidations,
  loopLeg: isolatedLoopLeg,
  decodeEvents: isolatedEvents,
  reader: isolatedReader,
  valuePositions: isolatedValuation,
  checkState: checkIsolatedState,
  checkLiquidation: checkIsolatedLiquidation,
};
