/** The pooled kind's member of the scenario file's protocols union (`type: "pooled"`): an Aave-like pool and its reserves. */
import { z } from "zod";
import { entityName, integer, percentWad, rateCurveFields, ratioWad, reference, tokenAmount, usdE8 } from "../../fields";
import { fileObject } from "../../zodIssues";

const liquidationRulesSchema = fileObject({
  closeFactorPct: percentWad({ gt: 0, lte: 100 })
    .prefault(50)
    .describe("Share of the debt one liquidation may repay, percent (0 < x <= 100)."),
  closeFactorHealthFactor: ratioWad({ gte: 0, lte: 1 })
    .prefault(0.95)
    .describe("At or below this health factor a liquidation may repay all the debt (0..1)."),
  closeFactorDustUsd: usdE8({ gte: 0 })
    .prefault(2000)
    .describe("Positions with collateral or debt worth less than this may be liquidated in full, USD."),
  minLeftoverUsd: usdE8({ gte: 0 })
    .prefault(1000)
    .describe("A partial liquidation must leave at least this much debt and collateral, USD."),
  liquidationsAcceptStalePrice: z
    .boolean()
    .prefault(true)
    .describe("Whether liquidations use a price older than maxPriceAgeSeconds (Aave: yes)."),
});

const reserveSchema = fileObject({
  asset: reference.describe("Asset symbol."),
  ltvPct: percentWad({ gte: 0, lte: 100 }).describe("Loan to value, percent."),
  liquidationThresholdPct: percentWad({ gte: 0, lte: 100 }).describe("Liquidation threshold, percent (>= ltvPct)."),
  liquidationBonusPct: percentWad({ gte: 0 }).describe(
    "Liquidation bonus, percent on top of the repaid value (5: +5%)."
  ),
  liquidationProtocolFeePct: percentWad({ gte: 0, lte: 100 })
    .prefault(10)
    .describe("Protocol's share of the bonus, percent."),
  reserveFactorPct: percentWad({ gte: 0, lte: 100 })
    .prefault(10)
    .describe("Share of interest kept as reserves, percent."),
  ...rateCurveFields(80),
  maxPriceAgeSeconds: integer({ min: 1 })
    .prefault(3600)
    .describe("Oldest feed answer borrow and withdraw accept, seconds."),
  borrowingEnabled: z.boolean().prefault(true).describe("Whether the asset can be borrowed."),
  initialSupply: tokenAmount({ gte: 0 })
    .prefault("0")
    .describe("Supplied at block 0 by a passive lender, token units."),
  initialReserves: tokenAmount({ gte: 0 })
    .prefault("0")
    .describe("Deposited at block 0 into the reserve's insurance fund, token units."),
  feed: reference
    .optional()
    .describe("Price feed the pool reads: the asset's symbol (its push feed, the default) or an oracles name."),
});

export const pooledProtocolSchema = fileObject({
  type: z.literal("pooled"),
  name: entityName.describe("Protocol name; borrowers and liquidators refer to it."),
  implementation: z
    .enum(["mock", "aave-v3.6"])
    .prefault("mock")
    .describe("The code that runs it: liqsim's PooledLendingPool (mock, the default) or the real Aave V3.6 (docs/real-protocols.md)."),
  liquidation: liquidationRulesSchema.prefault({}).describe("Liquidation rules (Aave V3.3-like)."),
  reserves: z.array(reserveSchema).min(1).describe("Listed assets and their risk parameters."),
  badDebt: z
    .enum(["haircut", "deficit"])
    .optional()
    .describe("Who absorbs bad debt: haircut (the reserve's reserves, then its suppliers; the mock's default) or deficit (booked as the reserve's outstanding deficit, suppliers untouched: Aave 3.3+; aave-v3.6 always)."),
});

/** A pooled protocol as the schema pass leaves it. */
export type FilePooled = z.output<typeof pooledProtocolSchema>;
