/**
 * The real Morpho Blue 1.0 as a venue (a scenario's isolated protocol with `implementation`
 * morpho-blue-1.0): the isolated venue's rules, valuation, keeper, defense and checks, with Morpho's
 * deployment, its calls (`MORPHO_BLUE`), its `Liquidate` event, and its markets named by their bytes32
 * ids in addresses.json.
 */
import { isolatedMarketOf, type WorldIsolatedMarket } from "../../world";
import { isolatedMarketsVenue } from "../isolated";
import type { Venue } from "../types";
import { morphoBlueDeployment } from "./deployment";
import { morphoBlueEvents } from "./events";
import { MORPHO_BLUE } from "./implementation";

const idOf = (m: WorldIsolatedMarket) => ({ id: m.morpho?.id ?? "", market: m.key });

export const morphoBlueVenue: Venue = isolatedMarketsVenue(MORPHO_BLUE, {
  ...morphoBlueDeployment,
  addresses: (p) => (p.kind === "morpho-blue-1.0" ? { type: "isolated", implementation: "morpho-blue-1.0", morpho: p.market.address, markets: p.markets.map(idOf) } : undefined),
  borrowerAddresses: (p, b) =>
    p.kind === "morpho-blue-1.0" ? { morpho: p.market.address, markets: b.group.collateral.map((c) => idOf(isolatedMarketOf(p, c.asset, b.group.debt))) } : {},
  decodeEvents: morphoBlueEvents,
});
