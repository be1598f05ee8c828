/**
 * The perpetual futures venue: one `PerpExchange` per protocol (docs/perps.md): linear and inverse
 * markets against a vault, isolated or cross margin, keeper liquidations, and a loss waterfall (margin,
 * insurance fund, then auto-deleveraging, socialization or the vault's bad debt; or, without negative
 * balance protection, the trader's negative balance). No borrowers, loops or defenses: its positions
 * are traders'.
 */
import type { Venue } from "../types";
import { perpDeployment } from "./deployment";
import { perpEvents } from "./events";
import { checkPerpLiquidation, checkPerpState } from "./invariants";
import { perpLiquidations } from "./keeper";
import { perpWithPendingPrices } from "./pendingPrices";
import { perpReader } from "./reader";
import { perpTraderOrders } from "./traders";
import { perpAgentAccounts, perpVaultHedge } from "./hedge";
import { perpTraderFigures } from "./traderFigures";
import { perpValuation } from "./valuation";

export const perpVenue: Venue = {
  kind: "perp",
  lossWaterfall: true,
  ...perpDeployment,
  addresses: (p) =>
    p.kind === "perp"
      ? {
          type: "perp",
          exchange: p.exchange.address,
          lens: p.lens.address,
          markets: p.markets.map((m) => ({ id: m.id.toString(), market: m.key })),
          traders: p.traders.map((t) => t.address),
        }
      : undefined,
  borrowerAddresses: () => ({}),
  withPendingPrices: perpWithPendingPrices,
  defend: () => [],
  liquidations: perpLiquidations,
  traderOrders: perpTraderOrders,
  vaultHedge: perpVaultHedge,
  agentAccounts: perpAgentAccounts,
  loopLeg: () => undefined,
  decodeEvents: perpEvents,
  reader: perpReader,
  valuePositions: perpValuation,
  checkState: checkPerpState,
  checkLiquidation: checkPerpLiquidation,
  traderFigures: perpTraderFigures,
};
