/**
 * The isolated lending venue: one `IsolatedLendingMarket` singleton per protocol holding Morpho-style
 * markets (one collateral, one loan asset, an LLTV and its liquidation incentive; bad debt socialized to
 * the market's suppliers). `isolatedMarketsVenue` builds it for any implementation of these rules (the
 * real Morpho Blue is the other: venues/morpho-blue/).
 */
import { isolatedMarketOf } from "../../world";
import type { Venue, VenueDeployment } from "../types";
import { isolatedDefense } from "./defense";
import { isolatedDeployment } from "./deployment";
import { isolatedEvents } from "./events";
import { MOCK_ISOLATED, type IsolatedImplementation } from "./implementation";
import { isolatedLiquidations } from "./keeper";
import { checkIsolatedLiquidation, checkIsolatedState } from "./invariants";
import { isolatedLoopLeg } from "./loopLeg";
import { isolatedWithPendingPrices } from "./pendingPrices";
import { isolatedReader } from "./reader";
import { isolatedValuation } from "./valuation";

/** An isolated-markets venue: the shared rules with `implementation`'s calls, and the parts its contracts name their own way. */
export function isolatedMarketsVenue(
  implementation: IsolatedImplementation,
  own: Pick<Venue, "addresses" | "borrowerAddresses" | "decodeEvents"> & VenueDeployment,
): Venue {
  return {
    kind: "isolated",
    ...own,
    withPendingPrices: isolatedWithPendingPrices,
    defend: isolatedDefense(implementation),
    liquidations: isolatedLiquidations(implementation),
    loopLeg: isolatedLoopLeg,
    reader: isolatedReader(implementation),
    valuePositions: isolatedValuation,
    checkState: checkIsolatedState(implementation),
    checkLiquidation: checkIsolatedLiquidation,
  };
}

export const isolatedVenue: Venue = isolatedMarketsVenue(MOCK_ISOLATED, {
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
  decodeEvents: isolatedEvents,
});
