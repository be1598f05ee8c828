/** The perp kind's member of the scenario file's protocols union (`type: "perp"`): a perpetual futures exchange (docs/perps.md), its markets and the positions opened at block 0. */
import { z } from "zod";
import { entityName, integer, percentWad, ratioWad, reference, tokenAmount } from "../../fields";
import { fileObject } from "../../zodIssues";

const perpTierSchema = fileObject({
  maxNotional: tokenAmount({ gt: 0 })
    .optional()
    .describe("Largest position notional of the tier, collateral token units; omitted on the last tier (no cap)."),
  maxLeverage: ratioWad({ gte: 1 }).describe("Largest leverage the tier opens (20: 20x), >= 1."),
  maintenanceMarginPct: percentWad({ gt: 0, lt: 100 }).describe("Maintenance margin, percent of the notional (< 100 / maxLeverage)."),
});

const perpMarketSchema = fileObject({
  kind: z.enum(["linear", "inverse"]).describe("linear: USD-margined (collateral valued at $1); inverse: margined in the base coin (the collateral)."),
  base: reference.describe("Base asset symbol: the coin the market trades; positions name the market by it."),
  feed: reference.optional().describe("Mark price feed: the base's symbol (its push feed, the default) or an oracles name."),
  maxPriceAgeSeconds: integer({ min: 1 }).prefault(3600).describe("Oldest mark price any action accepts, liquidations included, seconds."),
  spreadPct: percentWad({ gte: 0, lt: 100 }).prefault(0.05).describe("Price impact of a trade against the vault, percent of the mark."),
  tradingFeePct: percentWad({ gte: 0, lt: 100 }).prefault(0.05).describe("Trading fee, percent of the notional."),
  liquidationSpreadPct: percentWad({ gte: 0, lt: 100 }).prefault(1).describe("A liquidation closes at mark -/+ this, percent."),
  liquidationFeePct: percentWad({ gte: 0, lt: 100 }).prefault(0.5).describe("Liquidation fee, percent of the closed notional (keeper's share, rest to the insurance fund)."),
  maxLeverage: ratioWad({ gte: 1 }).optional().describe("One tier: largest leverage (with maintenanceMarginPct; or give tiers)."),
  maintenanceMarginPct: percentWad({ gt: 0, lt: 100 }).optional().describe("One tier: maintenance margin, percent of the notional."),
  tiers: z.array(perpTierSchema).min(1).max(16).optional().describe("Margin tiers by notional, increasing caps (instead of maxLeverage and maintenanceMarginPct)."),
});

// A perp trader's orders on its position (agents/perpTrader.ts): each closes the whole position.
const perpExitSchema = fileObject({
  stopLossPct: percentWad({ gt: 0, lt: 100 })
    .optional()
    .describe("Stop loss: closes once the mark is this percent past the entry price against the position; the close fills at the next block's mark, past the trigger in a gap."),
  takeProfitPct: percentWad({ gt: 0 }).optional().describe("Take profit: closes once the mark is this percent past the entry price in the position's favor."),
  atBlock: integer({ min: 1 }).optional().describe("Closes in this block, whatever the price."),
});

// The vault's hedge: what liquidations hand the vault, traded on a pair in the next block.
const perpHedgeSchema = fileObject({
  amm: reference.describe("The AMM (amms[].name) the hedge trades: it pairs the base of the markets it hedges (linear or inverse) with another token."),
  ratioPct: percentWad({ gt: 0, lte: 100 }).prefault(100).describe("Share of the exposure hedged, percent."),
});

const perpPositionSchema = fileObject({
  account: entityName.describe("Trader name (one account per name in this exchange)."),
  market: reference.describe("The market's base asset symbol."),
  side: z.enum(["long", "short"]).describe("long or short."),
  margin: tokenAmount({ gt: 0 }).describe("Margin the trader deposits for the position, collateral token units (the fee is paid from it)."),
  leverage: ratioWad({ gt: 0 }).optional().describe("Notional = margin x leverage at the block-0 mark (or give size)."),
  size: tokenAmount({ gt: 0 }).optional().describe("Position size: base coin (linear) or USD (inverse), 18 decimals (or give leverage)."),
  marginMode: z.enum(["isolated", "cross"]).prefault("isolated").describe("isolated: the margin backs this position only; cross: the account's balance backs all its cross positions."),
  exit: perpExitSchema.optional().describe("The trader's orders: stop loss, take profit, close at a block (none: it holds until liquidated)."),
});

export const perpProtocolSchema = fileObject({
  type: z.literal("perp"),
  name: entityName.describe("Protocol name; liquidators refer to it."),
  collateral: reference.describe("Collateral token (linear markets: a $1 token; inverse markets: their base coin)."),
  negativeBalanceProtection: z.boolean().prefault(true).describe("Whether a loss beyond the margin is floored at 0 (the fund and the last resort pay) or left as the trader's negative balance."),
  lastResort: z.enum(["none", "adl", "socialize"]).prefault("none").describe("After the insurance fund: auto-deleverage the winners, socialize among them, or none (the vault's bad debt)."),
  keeperSharePct: percentWad({ gte: 0, lte: 100 }).prefault(20).describe("Keeper's share of the liquidation fee, percent (the rest goes to the insurance fund)."),
  insuranceFund: tokenAmount({ gte: 0 }).prefault("0").describe("Insurance fund seeded at block 0, collateral token units."),
  vaultLiquidity: tokenAmount({ gt: 0 }).describe("The vault's deposit at block 0 (every trade's counterparty), collateral token units."),
  markets: z.array(perpMarketSchema).min(1).max(8).describe("Markets, one per base asset (at most 8)."),
  positions: z.array(perpPositionSchema).prefault([]).describe("Positions opened at block 0 by named traders."),
  hedge: perpHedgeSchema.optional().describe("The vault hedges on an AMM the exposure liquidations hand it (agents/vaultHedger.ts); none: unhedged."),
});

/** A perp protocol as the schema pass leaves it. */
export type FilePerp = z.output<typeof perpProtocolSchema>;
